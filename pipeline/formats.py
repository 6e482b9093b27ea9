"""The dataset's tables in other forms, typed by the data dictionary: Parquet (pyarrow),
Stata .dta (pandas, format 118: Unicode), and pandas DataFrames (read_tables).

The CSV files are the dataset (the report, `orgwork eval` and the re-run checks read them);
these are made from them at the end of a run, in the run's folder, so they switch with them.
Values are the CSV's with the formula quote dropped (README, "Formula quote"); an empty cell
is missing (null in Parquet, NA in pandas, "" or . in Stata).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from orgwork.pipeline.dictionary import Column, Table, load_dictionary
from orgwork.pipeline.outdir import temporary_name

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("csv", "parquet", "stata")
SUFFIX = {"parquet": ".parquet", "stata": ".dta"}
STATA_VERSION = 118  # Stata 14+: UTF-8 strings (117 and below are Latin-1)
STATA_STR_BYTES = 2045  # longer text goes into a strL
# pandas takes `end` for a Stata keyword and would rename it with a warning: renamed here.
STATA_NAMES = {"end": "end_"}
CSV_BLOCK_BYTES = 16 << 20  # pyarrow's read block: more than any row (sentences ≤ 2,000 chars)


def parse_formats(text: str) -> tuple[str, ...]:
    """``csv,parquet,stata`` → the formats in that order, csv always among them (the CSV
    files are the dataset the others are made from); ValueError naming an unknown one."""
    wanted = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise ValueError(
            f"unknown format {', '.join(unknown) or repr(text)}: choose from {', '.join(FORMATS)}"
        )
    return tuple(f for f in FORMATS if f == "csv" or f in wanted)


def _replace_into(path: Path, write) -> None:
    """``write(tmp)`` to a hidden name beside ``path``, then renamed into place."""
    tmp = temporary_name(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# -- Parquet ---------------------------------------------------------------------------------


def _arrow_type(column: Column):
    import pyarrow as pa

    return {
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
    }.get(column.type, pa.string())


def _arrow_schema(table: Table):
    import pyarrow as pa

    fields = []
    for c in table.columns:
        kind = pa.dictionary(pa.int16(), pa.string()) if c.vocabulary else _arrow_type(c)
        meta = {"label": c.label, "meaning": c.meaning, "type": c.type}
        fields.append(pa.field(c.name, kind, nullable=not c.required, metadata=meta))
    return pa.schema(fields, metadata={"title": table.title})


def _arrow_batch(batch, table: Table, schema):
    """A CSV record batch as the dictionary types it: formula quotes dropped from text,
    vocabularies dictionary-encoded."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrays = []
    for c, column in zip(table.columns, batch.columns, strict=True):
        if c.vocabulary:
            column = pc.dictionary_encode(column).cast(pa.dictionary(pa.int16(), pa.string()))
        elif c.type == "string":
            column = pc.replace_substring_regex(column, "^'", "", max_replacements=1)
        arrays.append(column)
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def write_parquet(folder: Path, table: Table) -> Path:
    """<table>.parquet from <table>.csv, streamed block by block."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    schema = _arrow_schema(table)
    convert = pacsv.ConvertOptions(
        column_types={c.name: _arrow_type(c) for c in table.columns},
        true_values=["true"],
        false_values=["false"],
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )
    source = folder / table.file
    target = folder / f"{table.name}.parquet"

    def write(tmp: Path) -> None:
        reader = pacsv.open_csv(
            source,
            read_options=pacsv.ReadOptions(block_size=CSV_BLOCK_BYTES, encoding="utf-8"),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=convert,
        )
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            wrote = False
            for batch in reader:
                writer.write_batch(_arrow_batch(batch, table, schema))
                wrote = True
            if not wrote:  # only the header: an empty table with the columns
                writer.write_table(pa.Table.from_pylist([], schema=schema))

    _replace_into(target, write)
    return target


# -- pandas ----------------------------------------------------------------------------------


def _pandas_dtype(column: Column):
    import pandas as pd

    if column.vocabulary:
        return pd.CategoricalDtype(column.values)
    return {
        "integer": "Int64",
        "number": "Float64",
        "boolean": "boolean",
    }.get(column.type, pd.StringDtype())


def typed_frame(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Columns as the dictionary types them (categories in the vocabulary's order)."""
    return frame.astype({c.name: _pandas_dtype(c) for c in table.columns})


def _csv_frame(path: Path, table: Table) -> pd.DataFrame:
    import pandas as pd

    kinds = {c.name: c.type for c in table.columns}
    frame = pd.read_csv(
        path,
        encoding="utf-8-sig",
        dtype=str,
        keep_default_na=False,
        na_values=[""],
        engine="c",
    )
    for name, kind in kinds.items():
        if kind == "boolean":
            frame[name] = frame[name].map({"true": True, "false": False})
        elif kind == "string":
            frame[name] = frame[name].str.replace(r"^'", "", regex=True)
    for name, kind in kinds.items():
        if kind in ("integer", "number"):
            frame[name] = pd.to_numeric(frame[name])
    return typed_frame(frame, table)


def read_table_frame(folder: Path, table: Table) -> pd.DataFrame:
    """One table of a run folder as a DataFrame: from its Parquet file when there is one,
    else from the CSV."""
    import pandas as pd

    parquet = folder / f"{table.name}.parquet"
    if parquet.is_file():
        frame = pd.read_parquet(parquet, dtype_backend="numpy_nullable")
        for c in table.columns:
            if c.vocabulary:  # the file's dictionary holds only the values present
                frame[c.name] = frame[c.name].astype(str).where(frame[c.name].notna())
        return typed_frame(frame, table)
    return _csv_frame(folder / table.file, table)


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {name: read_table_frame(folder, t) for name, t in load_dictionary().items()}


# -- Stata -----------------------------------------------------------------------------------


def write_stata(folder: Path, table: Table, frame: pd.DataFrame) -> Path:
    """<table>.dta: variable labels from the dictionary, vocabularies as value labels (their
    values numbered 1, 2 … in the dictionary's order), booleans 0/1 labelled false/true,
    Chinese text intact (format 118). The whole table is held in memory (pandas writes no
    .dta piece by piece)."""
    import pandas as pd

    out = pd.DataFrame(index=frame.index)
    value_labels = {}
    strl = []
    for c in table.columns:
        column = frame[c.name]
        if c.vocabulary:
            # Codes and labels by hand: pandas' own conversion of a categorical fails on an
            # empty table (errors.csv of a run without failures).
            codes = column.cat.codes.astype("float64") + 1
            out[c.name] = codes.where(column.notna())
            value_labels[c.name] = {i + 1: v for i, v in enumerate(c.values)}
        elif c.type == "boolean":
            out[c.name] = column.astype("Int8")
            value_labels[c.name] = {0: "false", 1: "true"}
        elif c.type == "integer":
            out[c.name] = column.astype("Float64").astype("float64")  # NA → Stata's .
            if column.notna().all():
                out[c.name] = column.astype("int64")
        elif c.type == "number":
            out[c.name] = column.astype("float64")
        else:  # text: Stata's missing string is ""
            text = column.astype(object).where(column.notna(), "")
            out[c.name] = text
            if len(text) and text.map(lambda s: len(s.encode("utf-8"))).max() > STATA_STR_BYTES:
                strl.append(c.name)
    for name in value_labels:
        if not out[name].isna().any():
            out[name] = out[name].astype("int16")
    out = out.rename(columns=STATA_NAMES)
    target = folder / f"{table.name}.dta"

    def write(tmp: Path) -> None:
        out.to_stata(
            tmp,
            write_index=False,
            version=STATA_VERSION,
            data_label=table.title[:80],
            variable_labels={STATA_NAMES.get(c.name, c.name): c.label for c in table.columns},
            value_labels={STATA_NAMES.get(k, k): v for k, v in value_labels.items()} or None,
            convert_strl=[STATA_NAMES.get(k, k) for k in strl],
        )

    _replace_into(target, write)
    return target


def write_formats(folder: str | Path, formats: list[str] | tuple[str, ...]) -> None:
    """The tables of a run folder in the given formats besides CSV."""
    folder = Path(folder)
    for table in load_dictionary().values():
        if "parquet" in formats:
            write_parquet(folder, table)
        if "stata" in formats:
            write_stata(folder, table, read_table_frame(folder, table))
