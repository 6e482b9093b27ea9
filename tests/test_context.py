"""Context of measures on hand-written sentences in the style of real reports: the counted
phrase (subject), period, modality and category of each figure, positives and negatives."""

from __future__ import annotations

import pytest

from orgwork.stages import extract_document
from tests.conftest import make_doc


def context(body: str, title: str = "某县干部工作") -> list[tuple]:
    doc = extract_document(make_doc(body, title=title))
    return [(m.text, m.subject, m.period, m.modality, m.category) for m in doc.measures]


@pytest.mark.parametrize(
    ("body", "subjects"),
    [
        # after the unit: the head of the phrase, ages skipped, a quoted name, a 的 close by
        ("全县选派20名90后年轻干部驻村。", ["年轻干部"]),
        ("选拔300名左右40岁以下的优秀年轻干部。", ["优秀年轻干部"]),
        ("12名新干部向4名经验丰富的“成长导师”拜师。", ["新干部", "“成长导师”"]),
        ("80名从机关、乡镇推荐出来的青年干部参加集训。", ["青年干部"]),
        ("逾200名来自省直机关、市直单位、高校和科研院所等单位的青年干部参加。", ["青年干部"]),
        ("其中70%以上的村干部掌握了实用技术。", ["村干部"]),
        ("开展为期5天的集中轮训。", ["集中轮训"]),
        # a list closed by 等…的: the head after it
        ("进行为期2个月的汉语口语、公文写作和政策理论等方面的教育培训。", ["教育培训"]),
        # places and bodies counted (个) with only nouns before a 的: they, not what they own
        ("全市30个乡(镇)的党委书记参加培训。", ["乡(镇)"]),
        ("建立12个覆盖全县的党建联盟。", ["党建联盟"]),  # a verb: a relative clause
        ("选派20名机关的年轻干部。", ["年轻干部"]),  # people (名): the phrase after 的
        # a practice verb naming which people (挂职干部), not the predicate (90人参训)
        ("县委迎接131名挂职干部。", ["挂职干部"]),
        ("49名参训学员顺利结业。", ["参训学员"]),  # an adverb opens the predicate
        # …or, nothing else naming them, who took part (90人参训); what they had done (曾经)
        ("本次共90人参训。", ["参训"]),
        ("公告发布后，共吸引近6000人参加。", ["参加"]),
        ("网上报名9000余人，成功缴费报考均为96人。", ["网上报名", "成功缴费报考"]),
        ("据统计，有3人曾经担任过区县长。", ["曾经担任过区县长"]),
        ("共有21人正式录用。", [""]),  # another verb: not said who
        # before the figure: verb + object, a list after 其中, X中N人, shares
        ("县委党校共培训科级干部900人次。", ["科级干部"]),
        ("其中提拔重用30人、交流轮岗12人。", ["提拔重用", "交流轮岗"]),
        ("参加本次培训的学员共156名。", ["学员"]),
        ("新提拔的科级干部占科级干部总数的41%。", ["科级干部"]),
        ("女干部8人，占12.5%；", ["女干部", "女干部"]),
        ("其中35岁以下的300人、占60%。", ["35岁以下", "35岁以下"]),  # a share after 、
        ("干部300人、党员占60%。", ["干部", "党员"]),  # …unless it names its own phrase
        # 一线 is a noun (the front line), not jieba's numeral
        ("工作在生产一线的85人。", ["生产一线"]),
        ("在基层一线的占70%。", ["基层一线"]),
        ("全县班子成员中6人获得研究生学历。", ["班子成员"]),
        # of a group counted just before (其中); what they are (8人是中共党员)
        ("共派出选调生3200多名，其中已有20人走上厅级岗位。", ["选调生", "选调生"]),
        ("当中8人是中共党员。", ["中共党员"]),
        # batches right before the people in them are batches of those people
        ("先后选派了4批共120名优秀年轻干部到基层。", ["优秀年轻干部", "优秀年轻干部"]),
        ("开展集中轮训3批，选派优秀干部40名。", ["集中轮训", "优秀干部"]),  # not adjacent
        ("分四批选派共1000名省直机关干部到基层挂职。", ["省直机关干部"] * 2),  # the verb, 共
        # a figure right after another: the phrase before the pair counts both
        ("当年轮训党员四批988人。", ["党员", "党员"]),
        ("全县建成年轻干部人才库5类120人。", ["年轻干部人才库"] * 2),
        # a verb alone says what was done to a headcount, not who
        ("在原计划上增补4名。", [""]),
        ("今年共录用220名。", [""]),
        # …but a post, a body or a pool named before the verb holds them
        ("市工人医院的医生岗位(二)计划招聘8人。", ["医生岗位"]),
        ("确保干部后备库常态保持200人以上。", ["干部后备库"]),
        ("县委组织部选派20名。", [""]),  # the sender is no holder
        # …but posts offered to a pool count the pool (面向X招录N名, X等定向选调N名)
        ("市委组织部面向全国重点高校应届毕业生招录200名。", ["毕业生"]),
        ("面向基层一线干部、服务基层项目人员等定向选调60名。", ["服务基层项目人员"]),
        ("从县直单位优秀年轻干部中，择优选拔30人到乡镇任职。", ["县直单位优秀年轻干部"]),
        ("从2003年起，择优选拔30人到乡镇任职。", [""]),  # 从 a date: no pool
        ("在此过程中，择优选拔30人。", [""]),  # 中 without 从: no pool
        # a list closed by 等: its last item
        ("各乡镇组织委员、部分村党支部书记等60余人参加培训。", ["部分村党支部书记"]),
        # a duration: the experience it names (no 的 needed), the tenure a minimum follows
        ("报考者须具有2年以上基层工作经历。", ["基层工作经历"]),
        ("干部中具有2年以上基层工作经历的应达到一半。", ["基层工作经历"]),  # up to 的
        ("任职2年以上的副科级干部可以报名。", ["任职"]),
        ("开展为期3天以上的专题培训。", ["专题培训"]),  # no tenure verb: the phrase after 的
        ("集中培训3天以上学员全部结业。", ["培训"]),  # 学员 do not last: the training does
        ("迎接挂职干部并进行5天培训。", ["培训"]),  # a practice right after: it lasts
        ("干部下派3年回原单位。", [""]),  # 回原单位 is no practice nor experience
        # a list inside a bracket belongs to the phrase; a figure inside a bracket reads it
        ("45岁以下的县(市、区)党政副职共有12名。", ["县(市、区)党政副职"]),
        ("拟任发展处处长(挂职两年);", ["挂职"]),
        ("全区86个行政村(社区)面向社会公开储备人才。", ["行政村(社区)"]),  # 面向社会: to whom
        # places listed after a lead naming the people: the lead's people, not the places
        ("各县选聘大学生村官名额为：宜良县选聘18名，曲靖市13名。", ["大学生村官"] * 2),
        ("全省共分配：曲靖市13名。", ["曲靖市"]),  # no people in the lead: the place
        ("各州大学生村官选聘计划为：楚雄州135名，迪庆州28名。", ["大学生村官"] * 2),
        ("在全市30个乡镇中全面推行试点。", ["乡镇"]),  # 中: among them
        # a short bracket right after the head names the like of it; a longer one is a note
        ("全区9个镇(街道)均已启动储备工作。", ["镇(街道)"]),
        ("拿出71个科级领导职位(见附表)，面向全市竞争上岗。", ["科级领导职位"]),
        # a coordinator after a complete noun joins a second phrase: the first is counted
        ("分赴本市所属28个乡镇和黄南州各县所属36个街道挂职锻炼。", ["乡镇", "街道"]),
        (
            "表扬了36名优秀社区党组织书记和软弱涣散村整顿中涌现出的先进个人。",
            ["优秀社区党组织书记"],
        ),
        # what is said of the people (平均年龄), what is done to them (的调整) is not them
        ("已经报到的86名驻村干部平均年龄39岁。", ["驻村干部"]),
        ("5人平均年龄48岁。", [""]),
        ("其中20名干部的调整涉及到县委书记。", ["干部"]),
        ("除了10名正职后备人选的报名条件是35岁以下。", ["正职后备人选"]),
        # a verb before a head of people qualifies it; not before other nouns
        ("帮助42名新招录公务员尽快适应岗位。", ["新招录公务员"]),
        ("全省有3165名往届高校毕业生报名竞聘社区工作者岗位。", ["往届高校毕业生"]),
        ("27名到村任职选调生与领导干部结对。", ["到村任职选调生"]),
        ("定向招录20名沿海开发急需专业应届优秀毕业生。", ["专业应届优秀毕业生"]),  # 6 words on
        ("选派11名干部到市、县任职。", ["干部"]),
        # a level of schooling and an ordinal of a batch qualify the head; 选派 is a verb
        ("今年计划选调120名硕士以上学历往届优秀毕业生。", ["往届优秀毕业生"]),
        ("选派的71名第二批优秀年轻干部到村任职。", ["优秀年轻干部"]),
        ("凤翔区今年又向46个社区选派了驻村工作队。", ["社区"]),
        # what they are, after a copula; a word jieba lacks before the head
        ("其中2名还是正厅级干部。", ["正厅级干部"]),
        ("选择了盟委办、行署办等34个盟直部门。", ["盟直部门"]),
        ("举办3个省级示范班，对干部进行培训。", ["省级示范班"]),  # 示范 班: one word cut
        # an event counted: the activity after it, verbs too
        ("确保每名公务员参加一次以上脱产培训。", ["脱产培训"]),
        # a one-character head before the figure ends a word with the verb before it
        ("外派78名党务干部参加能力提升班2期。", ["党务干部", "能力提升班"]),
        ("在干部网络学院开设专题网班3期。", ["专题网班"]),  # a word jieba lacks heads it
        (
            "招聘会现场收到近百份简历，当场洽谈。",
            ["简历"],
        ),  # one word after the unit, a verb to jieba
        ("一些岗位延长到3年。", [""]),  # a preposition alone names nothing
        # a share of a total right after a figure is a share of its group
        ("接受过轮训的妇女干部3000多人,占全县轮训人数的25%以上。", ["妇女干部"] * 2),
        # the ends of a range count what changes, named before 从 or opening the clause before
        ("深圳接收机构从首批的64家，拓展到目前的135家。", ["机构", "机构"]),
        ("援藏干部选派数量逐批增加，从第一批622名增加到第十批2117名。", ["援藏干部选派数量"] * 2),
        ("挂职时间从过去的一般2年调整为一般3年，部分岗位延长到5年。", ["挂职", "挂职", ""]),
        ("从3名干部中选拔2人到乡镇。", ["干部", ""]),  # a pool, no range
        # a growth right after a figure is of its group; alone, of no group named
        ("其中研究生121名，比去年增长了72.8%。", ["研究生", "研究生"]),
        ("共有2441名应届高校毕业生报考，比去年增长了27.9%。", ["应届高校毕业生", ""]),
        # ranks and affiliations jieba tags verbs qualify the noun; 专门面向 ends the phrase
        ("拿出60余个正处级和副处级职位专门面向全省招考。", ["副处级职位"]),
        ("到55个区直单位的有关岗位锻炼。", ["区直单位"]),
        # a body made of a headcount is counted; a rate jieba runs into 均 (面均) is its phrase
        ("常务委员会由13人组成。", ["常务委员会"]),
        ("全市村干部集中培训面均在85%以上。", ["培训面"]),
        # a year-on-year growth right after a figure is of its group too
        ("全县今年共培训干部5000人次，同比增长15%。", ["干部", "干部"]),
        # …较 a base, a year as the base, a net growth of a count: of the same group
        ("在站博士后共计368人，较上年同期增长12%。", ["博士后", "博士后"]),
        ("全县在岗科研人员共计574人。", ["在岗科研人员"]),  # 在岗 qualifies, no preposition
        ("全县共有党员4000名，比2020年底净增150名。", ["党员", "党员"]),
        ("比2020年底净增150名。", [""]),  # a growth alone names no group
        ("在站博士后共计368人 , 较上年同期增长12% 。", ["博士后", "博士后"]),  # spaces
        # what lasts: the clause before 为期, the phrase before how a length is set
        ("举办青年干部培训班，为期3天。", ["青年干部培训班"]),
        ("再安排到村实践锻炼，为期3年。", ["到村实践锻炼"]),
        ("举办为期3天的培训班。", ["培训班"]),  # what lasts follows
        # 为期 without 的: the activity right after the length lasts, whatever its words
        ("安排20名年轻干部为期6个月轮岗交流。", ["年轻干部", "轮岗交流"]),
        ("组织为期两周集中学习。", ["集中学习"]),
        ("本次培训时间安排一周。", ["培训"]),
        ("挂职时间一般为2年。", ["挂职"]),
        ("任职期限一般为3年。", ["任职"]),  # 期限 like 时间: the activity lasts
        # a headcount opening the clause after a part of a group is another part of it
        ("全县班子成员中8人获得了研究生学历，15人正在攻读研究生学历。", ["班子成员"] * 2),
        ("派出选调生4300多名，其中已有26人走上厅级岗位，166人走上处级岗位。", ["选调生"] * 3),
        ("培训干部300人次，100人参加考试。", ["干部", "参加考试"]),  # no part before it
        ("选拔60名乡镇党委书记到机关任职(其中20名到省直机关任职)。", ["乡镇党委书记"] * 2),
        # 全部 opens the predicate; a group's total (总数) counts the group
        ("驻村第一书记120名全部到岗。", ["第一书记"]),
        ("新录用的56名公务员全部到基层锻炼。", ["公务员"]),
        ("全县党员总数达15600名。", ["党员"]),
        # a figure a change ends at counts what changes; 由 a figure opens a range like 从
        ("全县年轻干部增加到120名。", ["年轻干部"]),
        ("科级干部中35岁以下的由45名增加到86名。", ["35岁以下"] * 2),
        ("由13名干部组成工作专班。", ["干部"]),  # 由 a headcount, no range
        # a figure opening its clause after the people a clause closed by 中 names: of them
        ("到村任职的选调生中，有70%担任了村“两委”成员。", ["选调生"]),
        ("在这次换届中，有30人走上乡镇领导岗位。", [""]),  # no people named before 中
        # the rest closing a list of groups names its own; not the rest of a sentence
        ("其中提拔重用45人、交流轮岗12人、其他9人。", ["提拔重用", "交流轮岗", "其他"]),
        ("除1人外，其余6人均于去年任职。", ["", ""]),
        # a quoted name before the head: the head after it is counted; not before a verb
        ("先后举办2期“强素质”专题培训班。", ["专题培训班"]),
        ("举办为期2个月的中山市“村官大讲堂”专题讲座。", ["专题讲座"]),
        ("18名干部向3名经验丰富的“成长导师”行拜师礼。", ["干部", "“成长导师”"]),
        # the count of those who did something: the verb with 人数 (a noun before it: the noun)
        ("今年报考人数为953人。", ["报考人数"]),
        ("全县党员人数达1500人。", ["党员"]),
        # a headcount after a place visited: the people who went, named before the verb
        ("组工干部深入联系点共计124人次。", ["组工干部"]),
        ("培训科级干部共计124人次。", ["科级干部"]),  # the people trained: the object
        # a verb with 了 right after a headcount is its predicate: no head after 的 is counted
        ("共有860人参加了上午的笔试。", ["参加了上午的笔试"]),
        ("表彰了45名参加培训的干部。", ["干部"]),  # a relative clause
        # 荣获 is a verb (jieba tags it a name): the bodies awarded, not the title's word
        ("全市共有30个党支部荣获“五星支部”称号。", ["党支部"]),
        # a share right after a figure, with no comma between: of that figure's group
        ("全村有致富带头人8人占20%。", ["致富带头人", "致富带头人"]),
        # figures dealt out by 分别 or 各: the groups joined before it, or of the figures before
        (
            "新录用人员中研究生和本科生的比例分别为12%和80%。",
            [
                "研究生",
                "本科生",
            ],
        ),
        (
            "全县有男干部420人，女干部180人，各占70%和30%。",
            ["男干部", "女干部", "男干部", "女干部"],
        ),
        ("处级、科级干部分别占总数的40%和55%。", ["科级干部", "科级干部"]),  # 、 joins one name
    ],
)
def test_subject(body: str, subjects: list[str]) -> None:
    assert [c[1] for c in context(body)] == subjects


@pytest.mark.parametrize(
    ("body", "periods"),
    [
        ("2022年，全县共调整干部120人次。", ["2022年"]),
        ("该基地2012年被确定为教育基地，先后接纳学员9000多人次。", [""]),  # an event's date
        ("目前，全县后备干部中35岁以下的占30%。", ["目前"]),
        ("截至目前，共选派干部45名。", ["截至目前"]),
        ("至年底，全市共有干部6800人。", ["至年底"]),
        ("“十二五”期间，共培训干部2.3万人次。", ["“十二五”期间"]),
        ("近几年，累计轮训干部800人次。", ["近几年"]),
        ("2005年底，市委有委员40人；常务委员会由11人组成。", ["2005年底", ""]),  # up to ；
        ("报名2441人，比去年增长了27.9%。", ["", ""]),  # a comparison, not a scope
        ("今年5月发布公告后，共有3200人报名。", [""]),  # an event's month
        ("1997年1月撤地设市，辖166个乡镇。", [""]),
        ("活动开展以来，共与干部谈心谈话3400人次。", ["活动开展以来"]),
        ("自2014年计划实施以来，累计引进1789名毕业生。", ["自2014年计划实施以来"]),
        # 今年 describing a noun (今年的报考人员) is no scope; 今年, as a clause, is
        ("今年的报考人员中，研究生有120名。", [""]),
        ("今年，全县共选派干部50名。", ["今年"]),
        # how long (连续5年) yields to from when before it; alone it is the scope
        ("自2015年起实施，每年选派10名，连续5年共选派50名干部。", ["自2015年起", "自2015年起"]),
        ("全县连续3年选派干部60名。", ["连续3年"]),
        # 全年 refers back to a year named before it; alone it is the scope
        ("1993年，市委狠抓基层，全年发展党员1383人。", ["1993年"]),
        ("全年发展党员1638人。", ["全年"]),
        # a range from 从…开始: its start; a stock's date with its year (截止去年底)
        ("从2011年7月开始，到2012年1月，全省12个市完成换届。", ["从2011年7月开始"]),
        ("截止去年底，班子成员中40岁以下的只占1.8%。", ["截止去年底"]),
        ("截至今年6月底，共选派干部45名。", ["截至今年6月底"]),
        # 到目前 inside a clause: how many there are now, not at the first batch
        ("接收机构从首批的64家，拓展到目前的135家。", ["", "到目前"]),
        # since a month, a body's founding; the election a clause opens with; 此前
        ("今年3月以来，共选派干部45名。", ["今年3月以来"]),
        ("学院成立以来，累计培训干部3000人次。", ["学院成立以来"]),
        ("此次乡镇换届中，全市择优选拔112人进入班子。", ["此次乡镇换届中"]),
        ("此前，已有15名干部到灾区任职。", ["此前"]),
        ("上半年，全县共培训干部500人次。", ["上半年"]),
        ("与去年相比，今年报名人数增加了300人。", ["今年"]),  # 去年 compared, 今年 the scope
        ("与去年相比，报名人数增加了300人。", [""]),
        # a year inside a clause: the scope of the practice right after it
        ("湖北省2022年招录800名选调生。", ["2022年"]),
        ("面向高校2017年应届毕业生招录1270名。", [""]),  # the graduates' year
        ("该馆2012年被确定为基地，先后接纳学员9000多人次。", [""]),
        ("全县2021年共选派干部120名，其中女干部30名。", ["2021年", "2021年"]),
        # the other common forms of a scope: a year's accounts, ranges of months and years,
        # the past N years, the present term, an event's start, a plan period's end, 至 a year
        ("2023年度，全县共培训干部500人次。", ["2023年度"]),
        ("上年度，全县录用公务员56人。", ["上年度"]),
        ("1-10月，全县选派干部35名到乡镇挂职。", ["1-10月"]),
        ("今年1至6月，全市共培训干部1200人次。", ["今年1至6月"]),
        ("2022年1月至6月，共举办培训班12期。", ["2022年1月至6月"]),
        ("2018年至2022年，全县共选派干部200名。", ["2018年至2022年"]),
        ("过去五年，全县共培训干部3万人次。", ["过去五年"]),
        ("本届任期内，全县累计调整干部300人次。", ["本届任期内"]),
        ("党的二十大召开以来，全市选派干部300名。", ["党的二十大召开以来"]),
        ("此次换届，全县共选拔年轻干部60名。", ["此次换届"]),
        ("“十四五”末，全县年轻干部比例要达到30%。", ["“十四五”末"]),
        ("至2025年，全县要培养年轻干部200名。", ["至2025年"]),
        ("全县2018年至2022年共选派干部200名。", ["2018年至2022年"]),  # inside a clause too
        # a scope opening its clause, whatever it runs from; N years and more; quarters
        ("新冠疫情发生以来，全县共选派干部130名。", ["新冠疫情发生以来"]),
        ("“万名干部进万村”活动开展以来，共选派干部130名。", ["“万名干部进万村”活动开展以来"]),
        ("三年多来，全县共选派干部130名。", ["三年多来"]),
        ("今年前三季度，全县共培训干部900人次。", ["今年前三季度"]),
        ("近些年，全县共选派干部300名。", ["近些年"]),
        ("年初以来，全县共选派干部30名。", ["年初以来"]),
        ("他以来自基层的30名干部为例。", [""]),  # 以来 inside 以来自: no scope
        # a year typeset with a space (1988 年), a stock to a day or an hour, a year's end
        ("1988 年，全区有共产党员 10349 名。", ["1988 年"]),
        ("截至昨天，全省105个县党委成功换届。", ["截至昨天"]),
        ("截止当天上午11点，已有220余人报名。", ["截止当天上午11点"]),
        ("年底，全市有党校7个，专职教师164人。", ["年底", "年底"]),
        # a year left blank in a template or a published speech is the scope all the same
        ("XX年，全乡共发展党员18人。", ["XX年"]),
        ("**年3月，全县选派年轻干部40名到村任职。", ["**年3月"]),
        ("会议印发了XX年度工作要点，培训干部200人次。", [""]),  # a document's year
        # 本年 as 今年; 目前 and 迄今 after the clause's subject too
        ("我县本年计划招录公务员35名。", ["本年"]),
        ("该县目前已有28名干部到村任职。", ["目前"]),
        ("迄今，已培训村干部600人次。", ["迄今"]),
        ("报名人数比本年多出30人。", [""]),  # a comparison
        # since an event told at any length, opening its clause
        (
            "自2009年首批选调生分赴全省各乡镇开展基层服务以来，共有860人到村任职。",
            ["自2009年首批选调生分赴全省各乡镇开展基层服务以来"],
        ),
        (
            "自我县被列为全省人才工作改革试点县以来，引进人才120名。",
            ["自我县被列为全省人才工作改革试点县以来"],
        ),
        # a year inside a document's title names the document: the scope is before it
        ("去年，依据《全县干部教育培训规划(2021—2025年)》，培训干部900人次。", ["去年"]),
        # a stock to a quarter's end or to a day named; a quarter opening its clause
        ("截至去年三季度末，全县共有后备干部320名。", ["截至去年三季度末"]),
        ("到那天为止，他已在省里跟班学习5个月。", ["到那天为止"]),
        ("截至今年6月底，有党员5000名，二季度发展党员30名。", ["截至今年6月底", "二季度"]),
        # a clause after ； with no subject of its own goes on in the scope of the one before
        (
            "从今年起到2018年，选拔200名优秀年轻干部；选拔1000名乡科级干部。",
            ["从今年起到2018年"] * 2,
        ),
    ],
)
def test_period(body: str, periods: list[str]) -> None:
    assert [c[2] for c in context(body)] == periods


@pytest.mark.parametrize(
    ("body", "modalities"),
    [
        ("下一步将继续选派50名年轻干部到一线。", ["planned"]),
        ("考试后，将择优选择20人参加集训。", ["planned"]),
        ("提出今年要举办专题培训班6期。", ["planned"]),
        ("将乡镇干部和县直干部120人列为重点培养对象。", ["reported"]),  # 将 as 把
        ("共引进计划投资过亿元项目35个。", ["reported"]),  # 计划 in 计划投资 is no plan
        ("目标是，到2030年选拔200名左右优秀干部；其中选拔女干部30名。", ["planned", "planned"]),
        ("9名党外人士将安排到市直部门挂职。", ["planned"]),  # the figure's own predicate
        ("即将赴沿海挂职的30名干部今天出发。", ["reported"]),  # about to go: chosen already
        ("30名干部将赴沿海挂职。", ["planned"]),
        ("报考者须在乡镇任职2年以上。", ["planned"]),  # a requirement
        ("省委组织部对拟任的12名省管干部进行任前公示。", ["reported"]),  # nominees named
        ("年内，表彰优秀党支部书记30名。", ["reported"]),
        ("市委组织部面向全国高校公开选拔优秀毕业生60名。", ["planned"]),  # an offer
        ("去年公开选拔了处级干部25名。", ["reported"]),
        ("到2027年将实现全市5000名干部轮训全覆盖。", ["planned"]),
        # the future marker with an adverb or the passive between it and its verb
        ("这批干部将全部派赴30个乡镇挂职。", ["planned"]),
        ("这批干部将被选派到30个乡镇挂职。", ["planned"]),
        # posts and quotas counted are what a plan offers, whatever the verb
        ("公告中，选调生的职位达到了197个。", ["planned"]),
        ("其余90个名额的遴选条件是80后。", ["planned"]),
        # 其中 counts part of the group before, across the full stop
        ("全省共计划选调362名。其中，省直部门57名，市直部门305名。", ["planned"] * 3),
        ("去年录用公务员120名。其中，男性60名。", ["reported"] * 2),
        # the predicate after the counted phrase's comma (a long subject, then 将…)
        ("逾300名来自国家部委、央企的青年干部，将被选拔任职于街道。", ["planned"]),
        ("选派20名干部到乡镇，将进一步加强管理。", ["reported"]),  # not the figure's
        # a quantity word states a fact, but not a target's figure after 力争, 确保…
        ("全县女干部比例达到20%。", ["reported"]),
        ("力争到2025年，全县女干部比例达到20%。", ["planned"]),
        ("确保年轻干部占班子成员的30%。", ["planned"]),
        ("全市年轻干部总数将达到500名。", ["planned"]),
        ("现在，每年调训的干部就达3000多人。", ["reported"]),  # a habit's figure: a fact
        # a rule's requirement, before the figure or in its own qualifier
        ("每个乡镇领导班子至少配备1名35岁以下干部。", ["planned"]),
        ("原则上每个村配备1名第一书记。", ["planned"]),
        ("干部每年参加培训的时间累计不少于110学时。", ["planned"]),
        ("全县90%以上的党员参加了培训。", ["reported"]),  # 以上 alone is no requirement
        ("近期将由各镇与20名毕业生签订合同。", ["planned"]),  # 将由: will be done by
        ("全年计划培训1000人次，实际培训1200人次。", ["planned", "reported"]),
        # the verbs of a plan after 要 and 将; the length of a term a rule sets
        ("每个村要配备1名专职党务工作者。", ["planned"]),
        ("全市今年将新增年轻干部200名。", ["planned"]),
        ("新录用公务员试用期为1年。", ["planned"]),
        ("选调生服务期为5年。", ["planned"]),
        ("研修班学制3天。", ["reported"]),  # a course's length
        ("服务期满的选调生120名全部留任。", ["reported"]),  # a term served
        # the other terms a rule sets, and what one must do; not a term served
        ("拟任人选实行任前公示，公示期为7天。", ["planned"]),
        ("这些大学生村官需在农村基层服务5年。", ["planned"]),
        ("挂职期满后，8名干部被提拔。", ["reported"]),
        # a list detailing the group before, across the full stop
        ("今年将选派干部100名。具体为：乡镇50名，县直50名。", ["planned"] * 3),
        # plan language in its other common forms: 将/要 before any plan's verb or manner, a
        # target's year (its quantity word no fact), within N years, a deadline, next year,
        # what ought to be; a range of past years is no target
        ("按照方案，今年将分三批选派90名干部到基层挂职。", ["planned", "planned"]),
        ("每名新录用公务员要到村里锻炼1年。", ["planned"]),
        ("到2025年，全县35岁以下干部占比达到25%以上。", ["planned"]),
        ("努力在三年内培养100名乡村振兴带头人。", ["planned"]),
        ("2025年前，全市培养选拔优秀年轻干部500名。", ["planned"]),
        ("明年全县再选派30名干部驻村。", ["planned"]),
        ("各乡镇应当配备1名专职组织员。", ["planned"]),
        ("2018年至2022年，全县共选派干部200名。", ["reported"]),
        ("主要从乡镇选拔30名干部。", ["reported"]),  # 主要 is no 要
        # the secondment an appointment sets
        ("张三同志拟任县农业农村局副局长(挂职两年)。", ["planned"]),
        ("他曾在乡镇挂职两年。", ["reported"]),
        # a plan's cue governs its own clause's figure, not a figure opening a later clause
        # with its own predicate; a parallel clause with no predicate of its own goes on
        ("全县计划招聘教师280人，1600余人报考。", ["planned", "reported"]),
        ("每年选派干部30名，共选派150名。", ["planned", "planned"]),
        # posts and vacancies offered, named before the figure or closing its clause
        ("经核定职缺共计十八名，分别是：三等考试六名缺额。", ["planned", "planned"]),
        ("全省拿出41个副县级和141个乡科级职位。", ["planned", "planned"]),
        # 以来的 modifies a noun: the pool of a plan, no past scope
        ("今年拟从2001年以来的本科毕业生中招募大学生村官142名。", ["planned"]),
        # a stock's date (截至2021年底, 截止去年底) is no target's year
        ("截至2021年底，全省共有女干部3万名。", ["reported"]),
        ("截止去年底，全县35岁以下干部占8%。", ["reported"]),
        # the future marker before going to villages and re-recruiting
        ("全区300名干部将进驻120个村。", ["planned", "planned"]),
        ("今年要再考录500名选调生。", ["planned"]),
        # the time a plan gives itself, not the time it took
        ("县委提出用三年时间培训干部2000人次。", ["planned", "planned"]),
        ("全县用了三年时间培训干部2000人次。", ["reported", "reported"]),
        # the parts of a plan's figure in its bracket (其中…，…) are the plan's too
        (
            "今年公开选拔50名乡镇党委书记到县直机关任职(其中20名到县委部门，30名到政府部门)。",
            ["planned"] * 3,
        ),
        # the experience a rule asks for, even where the sentence states a fact
        ("目前，全市缺乏三年基层工作经历的科级干部占40%。", ["planned", "reported"]),
        ("全县共有任职一年以上的村干部500名。", ["planned", "reported"]),
        ("他在乡镇挂职三年，积累了经验。", ["reported"]),  # a stint served, its clause ends
        # a recruitment under way: its quotas planned, those who applied reported
        ("今年全县招聘教师300名，报名人数为2100人。", ["planned", "reported"]),
        ("其中卫生系统招聘40人，有500人报名。", ["planned", "reported"]),
        ("某医院的护士岗位计划招聘6人，报考的只有4人。", ["planned", "reported"]),
        ("今年全县招聘教师300名。", ["reported"]),  # no applicants: a fact told
        ("经过网上报名，确定选聘大学生村官30名。", ["reported"]),  # 报名 of another clause
        # from this year on; a day's deadline before the figure's own 将
        ("会上宣布：从今年起分三批选派600名干部到基层挂职。", ["planned", "planned"]),
        ("首批选派的200名年轻干部，8月15日前将到岗。", ["planned"]),
        # a reserve pool gathered openly is an offer; a term a rule sets or changes
        ("全镇面向社会公开储备村级后备力量60名。", ["planned"]),
        ("这批干部挂职时间均为1年。", ["planned"]),
        ("挂职时间从原来的1年调整为2年。", ["reported", "planned"]),
        # posts closing the figure's clause, a note on them in brackets
        ("从20个县直单位中拿出30个中层职位(见附件)，面向全县竞争上岗。", ["planned", "planned"]),
        # plan language in more forms: a prediction (有望突破), what must be done (需选派),
        # 将 before building, the length of a contract or of the service owed
        ("全年培训人数有望突破1万人次。", ["planned"]),
        ("全县今年需选派驻村干部50名。", ["planned"]),
        ("下半年，全县将新建党群服务中心20个。", ["planned"]),
        ("聘用期为3年。", ["planned"]),
        ("录用人员最低服务年限为5年。", ["planned"]),
        ("聘用期满的12名社工全部续聘。", ["reported"]),  # a contract served
        # terms of a village posting and of a contract
        ("选派的干部驻村时间为2年。", ["planned"]),
        ("与大学生村官签订3年服务协议。", ["planned"]),
        # the figure's own predicate is a plan though an earlier clause tells a fact
        ("截至目前，已有80名干部报到，其余20名将于下周到岗。", ["reported", "planned"]),
        ("全市已经完成了年度目标的80%。", ["reported"]),  # 目标的: a target's share reached
        # who may apply: the pool a selection is open to, those it leaves out
        ("此次选调面向全国40所重点高校。", ["planned"]),
        ("本次招录不含8所民办院校，其毕业生不具备报考资格。", ["planned"]),
        ("全县面向社会招聘社区工作者50名。", ["planned"]),
        ("去年共有5所院校的毕业生参加了选调。", ["reported"]),
        # the quota each employer offers; what is to be done again (再: 又 tells the past)
        ("这些职位的招录单位共3家，每个单位招2人。", ["reported", "planned"]),
        ("在去年选派100名的基础上，今年再选派200名。", ["reported", "planned"]),
        ("去年又选派了200名。", ["reported"]),
        # a recruitment's posts, named right before their figure
        ("本次招聘岗位共30个，计划招聘40人。", ["planned", "planned"]),
    ],
)
def test_modality(body: str, modalities: list[str]) -> None:
    assert [c[3] for c in context(body)] == modalities


@pytest.mark.parametrize(
    ("body", "categories"),
    [
        ("各乡镇驻村第一书记代表共计40余人参加培训。", ["training"]),  # named right after
        ("最后确定录用320人，其中男生180人。", ["recruitment", "recruitment"]),
        ("经笔试、面试、考察等环节，最终录用96人。", ["recruitment"]),
        ("选派40名年轻干部到信访维稳等一线实践锻炼。", ["frontline"]),
        ("共引进投资过亿元项目18个。", ["other"]),  # 引进 of projects
        ("全年发展党员900人，工作在生产一线的600人。", ["party_building", "party_building"]),
        ("中共党员干部2100人，占40%。", ["other", "other"]),  # a stock's composition
        ("全省共计划招考公务员5000名，其中派驻乡镇单位3000名。", ["recruitment", "recruitment"]),
        ("挂职时间从一般1年调整为一般2年。", ["secondment", "secondment"]),  # 调整为: no post
        # 新录用 says who the people are; what they do decides, else it is recruitment
        ("安排150名新录用公务员到一线锻炼。", ["frontline"]),
        ("今年新录用公务员150名。", ["recruitment"]),
    ],
)
def test_category(body: str, categories: list[str]) -> None:
    assert [c[4] for c in context(body)] == categories


def test_a_paragraph_practice_outranks_a_field_named_near_the_figure() -> None:
    body = "县里选派20名高校毕业生到村任职锻炼。其中8人是中共党员。"
    assert [c[4] for c in context(body)] == ["frontline", "frontline"]


def test_category_of_a_paragraph_without_keyword_near_the_figure() -> None:
    body = "县委组织部举办年轻干部培训班，邀请专家授课。全县共有学员86人。\n全县有乡镇12个。"
    assert [c[4] for c in context(body)] == ["training", "other"]


def test_a_figure_takes_the_practice_of_its_own_predicate_past_a_list_of_places() -> None:
    body = "选派30名干部到信访一线锻炼，选派12名干部到国家、省直单位挂职。"
    assert [c[4] for c in context(body)] == ["frontline", "secondment"]


def test_a_figure_closing_a_list_item_keeps_its_own_practice() -> None:
    body = "其中交流任职21人、提拔重用38人、职级晋升96人。"
    assert [c[4] for c in context(body)] == ["rotation", "promotion", "promotion"]


def test_a_paragraph_referring_back_takes_the_practice_of_the_group_it_names() -> None:
    body = "县里公开招聘20名高校毕业生。\n这20名毕业生中，男性9名，女性11名。\n全县有乡镇12个。"
    # 这20名 is a figure too: the demonstrative right before it still refers back
    assert [c[4] for c in context(body, title="")] == ["recruitment"] * 4 + ["other"]


def test_a_heading_line_takes_the_practice_of_the_paragraph_it_heads() -> None:
    body = "38名干部沿海取经\n今年，湖南选派干部到广东挂职锻炼，学习经验。"
    assert [c[4] for c in context(body, title="")] == ["secondment"]


def test_a_recruitment_word_after_new_names_who_the_people_are() -> None:
    # 新考录公务员: recruited before; what is done with them now is the practice
    assert [c[4] for c in context("为55名新考录公务员与导师结对。")] == ["mentoring"]
    assert [c[4] for c in context("今年新考录公务员55名。")] == ["recruitment"]
    assert [c[4] for c in context("全年新发展党员900人。")] == ["party_building"]


def test_a_speechs_account_of_the_past_is_reported_its_targets_planned() -> None:
    speech = "在全市组织工作会议上的讲话"
    past = ["去年，全市共培训干部1000人次。", "换届以来，全市新提拔干部300名。",
            "五年来，全市共发展党员5万名。", "过去一年，全市选派干部200名。"]  # fmt: skip
    for body in past:
        assert [c[3] for c in context(body, title=speech)] == ["reported"], body
    plans = ["今年，全市选派干部100名。", "今年选派干部人数要比去年增加100名。"]
    for body in plans:  # a comparison's year is no scope of what was done
        assert [c[3] for c in context(body, title=speech)] == ["planned"], body


def test_a_plans_name_stating_its_contents_is_the_plan() -> None:
    # 选聘计划 is a programme's name: cue words in names say nothing, but this one is
    # followed by what the plan holds; a programme named 计划 that does something is no cue
    body = "各县“大学生村官选聘计划”为：甲县选聘30名，乙县20名。"
    assert [c[3] for c in context(body, title="")] == ["planned", "planned"]
    done = "通过“青年英才培养计划”，全县培养干部30名。"
    assert [c[3] for c in context(done, title="")] == ["reported"]


def test_without_a_headline_the_opening_heading_lines_say_the_documents_form() -> None:
    notice = "湖北省招录选调生公告\n一、招录计划\n全省招录选调生800名。"
    report = "湖北省选调生工作综述\n全省招录选调生800名。"
    assert [c[3] for c in context(notice, title="")] == ["planned"]
    assert [c[3] for c in context(report, title="")] == ["reported"]
    # a recruitment announcement's own headings say it too
    offer = "为充实我县人才队伍，招聘事业单位工作人员。\n一、招聘岗位、对象和报考条件\n全县22家单位共42名工作人员。"
    assert [c[3] for c in context(offer, title="")] == ["planned", "planned"]


def test_a_stock_is_no_evidence_of_its_paragraphs_practice() -> None:
    training = "县委组织部举办年轻干部培训班，培训学员120人次。全县干部队伍中，女干部800人。"
    assert [c[4] for c in context(training, title="")] == ["training", "other"]
    done = "县委组织部举办年轻干部培训班，邀请专家授课。全县100名干部顺利结业了。"
    assert [c[4] for c in context(done, title="")] == ["training"]  # something was done
    # …unless the group is the one the event made
    made = "全市完成乡镇领导班子换届，提拔干部200名。新一届班子成员中，35岁以下的80名。"
    assert [c[4] for c in context(made, title="")] == ["promotion", "promotion"]


def test_a_sentence_opening_with_of_them_counts_part_of_the_group_before() -> None:
    body = "全省培训干部500人次，轮训3期。计划选调362名。其中，省直部门57名，市直部门305名。"
    categories = ["training", "training", "recruitment", "recruitment", "recruitment"]
    assert [c[4] for c in context(body, title="")] == categories


def test_a_plan_a_rule_or_an_offer_in_any_of_its_forms_plans_its_figures() -> None:
    body = "全县选派100名年轻干部到村任职。"
    assert [c[3] for c in context(body, title="年轻干部到村任职管理办法")] == ["planned"]
    assert [c[3] for c in context(body, title="关于年轻干部到村任职的实施细则")] == ["planned"]
    assert [c[3] for c in context(body, title="年轻干部到村任职见闻")] == ["reported"]
    # …but an event told as done or an honour received is a fact in any of them
    plan = "年轻干部培训方案"
    assert [c[3] for c in context("首期培训班顺利结业，学员120名。", title=plan)] == ["reported"]
    assert [c[3] for c in context("本次评选中，荣获先进的有30名。", title=plan)] == ["reported"]


def test_in_a_speech_a_year_before_its_own_is_an_account_of_the_past() -> None:
    def modalities(body: str, date: str) -> list[str]:
        doc = make_doc(body, title="县委书记在全县组织工作会议上的讲话")
        doc.publish_date = date
        return [m.modality for m in extract_document(doc).measures]

    body = "2022年，全县共培训干部5000人次。"
    assert modalities(body, "2023-02-10") == ["reported"]
    assert modalities(body, "2022-02-10") == ["planned"]  # its own year: what it plans
    assert modalities(body, "") == ["planned"]  # no date: nothing to compare with


def test_a_decision_of_a_year_before_the_documents_own_is_told_as_done() -> None:
    def modalities(body: str, date: str) -> list[str]:
        doc = make_doc(body, title="")
        doc.publish_date = date
        return [m.modality for m in extract_document(doc).measures]

    body = "2019年初，县委决定开展驻村帮扶，选派200名干部到村。"
    assert modalities(body, "2020-05-01") == ["reported"]
    assert modalities(body, "2019-03-01") == ["planned"]  # its own year: what it will do
    assert modalities(body, "") == ["planned"]  # no date: nothing to compare with
    # undated, the latest full date it names says when it is told
    told = "2020年3月1日，干部们出发了。\n" + body
    assert modalities(told, "") == ["reported"]


def test_in_a_speech_what_was_done_is_reported() -> None:
    body = "过去一年，全县培训了干部500人次。为了提升能力，今年选派干部20名。"
    assert [c[3] for c in context(body, title="在全县组织工作会议上的讲话")] == [
        "reported",
        "planned",
    ]


def test_after_a_furniture_headline_the_opening_heading_lines_give_the_practice() -> None:
    body = "新闻中心 > 综合\n甘肃公开选拔100名年轻干部\n昨日，记者从省委组织部了解到，全省共有3200人报名参加。"
    assert [c[4] for c in context(body, title="新闻中心 > 综合")] == ["promotion", "promotion"]


def test_a_counted_phrase_of_pool_members_gives_the_pools_practice() -> None:
    # the verb (选拔, 遴选) says how the pool is filled; the people are reserve cadres
    assert [c[4] for c in context("今年选拔培养了64名社区两委主要负责人后备干部。")] == [
        "reserve_pool"
    ]
    assert [c[4] for c in context("遴选县直部门领导班子正职后备人选45名。")] == ["reserve_pool"]
    assert [c[4] for c in context("选拔优秀年轻干部70名。")] == ["promotion"]


@pytest.mark.parametrize(
    ("body", "categories"),
    [
        ("全省派出选调生4300多名，其中已有26人走上厅级领导岗位。", ["recruitment", "promotion"]),
        ("全省12个省辖市顺利完成了换届。", ["promotion"]),
        ("全省582个贫困村有了省直单位派来的第一书记。", ["frontline"]),
        ("全市选派干部4137名，实现对1848个行政村的包联。", ["frontline", "frontline"]),
        ("深圳接收实训机构64家。", ["training"]),
        ("组织新录用公务员现场观摩10次。", ["training"]),  # what they do, not who they are
    ],
)
def test_category_vocabulary_of_posts_villages_and_practical_training(
    body: str, categories: list[str]
) -> None:
    assert [c[4] for c in context(body)] == categories


def test_a_relative_clause_before_the_counted_people_says_who_they_are() -> None:
    # 遴选出来的: how the people were chosen; 训练: what the figure counts them doing
    body = "60名从县直部门、乡镇遴选出来的优秀干部参加封闭训练。"
    assert [c[4] for c in context(body)] == ["training"]
    assert [c[4] for c in context("从科局遴选年轻干部100名。")] == ["recruitment"]
    # a duration's phrase after 的 is the practice itself (为期5天的培训)
    assert [c[4] for c in context("选派干部挂职，并进行为期5天的培训。")] == ["training"]


def test_being_tempered_in_general_is_no_posting_to_the_front_line() -> None:
    body = "干部能力在学习和实践中不断得到锻炼，全县班子成员中8人获得研究生学历。"
    assert [c[4] for c in context(body)] == ["training"]
    assert [c[4] for c in context("选派40名年轻干部到信访一线锻炼。")] == ["frontline"]


def test_selected_graduates_right_after_a_headcount_say_who_they_are() -> None:
    # 选调生 after the figure: the people; what they are sent to do is the practice
    assert [c[4] for c in context("先后选派9名选调生驻村任职。")] == ["frontline"]
    assert [c[4] for c in context("今年招录选调生20名。")] == ["recruitment"]
    assert [c[4] for c in context("全省共有20名选调生。")] == ["recruitment"]


def test_a_civil_service_examination_is_recruitment() -> None:
    # the headline names the examination: a paragraph on its arrangements takes it (not
    # naming its examinees, 考生: a recruitment's people)
    body = "本次考试共设置试场31个，请提前查看试场。"
    assert [c[4] for c in context(body, title="公务员特考12月26日举行")] == ["recruitment"]
    assert [c[4] for c in context(body, title="某县干部工作")] == ["other"]
    assert [c[4] for c in context("全省今年公务员考试报名人数为3万人。")] == ["recruitment"]


def test_talent_work_beyond_the_cadre_ranks_names_its_own_practice() -> None:
    # talent policy, salons, cooperation of schools and firms: talent work, as strong as a practice
    assert [c[4] for c in context("今年举办人才沙龙5期。")] == ["talent"]
    assert [c[4] for c in context("走访重点企业30家，宣讲人才政策。")] == ["talent"]
    assert [c[4] for c in context("接连举办两场活动，释放校企合作引才育才效应。")] == ["talent"]
    # …and bringing talent in is talent work, unless the cadre ranks are named: the nearest
    # stretch (sentence, paragraph, headline) naming either decides
    assert [c[4] for c in context("今年引进人才30名。")] == ["talent"]
    assert [c[4] for c in context("今年为县直机关引进人才30名。")] == ["recruitment"]
    assert [c[4] for c in context("受理引进人才落户申请500件，已办理落户420人。")] == [
        "talent", "talent"]  # fmt: skip
    body = "今年新招收博士后研究人员25人。"
    assert [c[4] for c in context(body, title="我省引进高层次人才")] == ["talent"]
    assert [c[4] for c in context(body, title="我省公开招录公务员")] == ["recruitment"]
    # a hire of no talent named stays recruitment; so does one filling the cadre ranks
    assert [c[4] for c in context("今年共招聘教师280人。")] == ["recruitment"]
    body = "全省面向高校招录选调生300名，其中博士20人。"
    assert [c[4] for c in context(body)] == ["recruitment", "recruitment"]
    body = "事业单位公开招聘工作人员200人，其中专业技术人员120人。"
    assert [c[4] for c in context(body)] == ["recruitment", "recruitment"]


def test_a_villagers_committee_is_no_party_organisation() -> None:
    # a stock of territory (辖…村委会) is evidence of no practice; of party branches it is
    assert [c[4] for c in context("全市辖166个乡镇、3396个村委会。")] == ["other", "other"]
    assert [c[4] for c in context("全市辖166个乡镇、3396个村党支部。")] == ["party_building"] * 2


def test_an_exchange_of_views_is_no_exchange_of_posts() -> None:
    assert [c[4] for c in context("与69名青年干部共话发展、座谈交流。")] == ["other"]
    assert [c[4] for c in context("今年交流干部69名。")] == ["rotation"]


def test_category_vocabulary_of_admonition_and_reserve_talent_pools() -> None:
    # 诫勉谈话: the supervision of cadres; 后备人才库: a reserve pool, not talent work
    assert [c[4] for c in context("今年对10名科级干部进行了诫勉谈话。")] == ["evaluation"]
    assert [c[4] for c in context("把8名年轻人纳入后备人才库。")] == ["reserve_pool"]
    assert [c[4] for c in context("全县有各类人才800名。")] == ["talent"]


def test_tempering_after_the_practice_it_completes_is_that_practice() -> None:
    # 交流锻炼, 培养锻炼: the first word says what is done; 锻炼 alone is the front line
    assert [c[4] for c in context("今年全县交流锻炼干部35名。")] == ["rotation"]
    assert [c[4] for c in context("全县培养锻炼年轻干部20名。")] == ["other"]
    assert [c[4] for c in context("全县到一线锻炼干部20名。")] == ["frontline"]


def test_cadres_going_down_to_the_grass_roots_and_their_contact_points_are_the_front_line() -> None:
    assert [c[4] for c in context("组工干部下基层走访群众200户。")] == ["frontline"]
    assert [c[4] for c in context("县级领导干部共建立基层联系点36个。")] == ["frontline"]


def test_a_step_on_the_way_decides_only_when_no_other_practice_is_named() -> None:
    # 经过…研判: how the choice was made; the practice is what it was made for
    body = "经过调研和综合研判，选取了8个单位，缓解了乡镇班子配备不足的问题。"
    assert [c[4] for c in context(body)] == ["promotion"]
    assert [c[4] for c in context("经过综合研判，确定了12名干部。")] == ["evaluation"]
    assert [c[4] for c in context("对12名干部进行了综合研判。")] == ["evaluation"]


@pytest.mark.parametrize(
    ("body", "categories"),
    [
        ("全省今年招募志愿者300名。", ["recruitment"]),
        ("本次列出缺额十二名。", ["recruitment"]),  # the vacancies an examination fills
        # 大学生村官: who the people are (recruited graduates), unless what they do is named
        ("全县在岗大学生村官86名。", ["recruitment"]),
        ("组织36名大学生村官参加党性教育专题培训。", ["training"]),
        ("选调生录用后先到村工作2年。", ["frontline"]),
        ("抽调25名干部参与市委巡察工作。", ["evaluation"]),  # inspection of cadres' units
    ],
)
def test_category_vocabulary_of_recruits_vacancies_village_posts_and_inspections(
    body: str, categories: list[str]
) -> None:
    assert [c[4] for c in context(body)] == categories


def test_a_count_of_a_fields_own_bodies_is_evidence_of_that_field() -> None:
    # what is counted is party organisations or communities, whatever is done with them
    assert [c[4] for c in context("以新组建的12个社区为重点，推行结对共建。")] == ["party_building"]
    assert [c[4] for c in context("全市有63个村党组织开展了考核评估。")] == ["party_building"]
    # …but villages are where cadres are sent
    assert [c[4] for c in context("共为582个贫困村选派了第一书记。")] == ["frontline"]
    # …and people are counted by what is done with them
    assert [c[4] for c in context("对63名村党组织书记开展了考核评估。")] == ["evaluation"]


def test_who_the_people_are_named_further_on_is_not_what_is_done() -> None:
    # 村官 in the name of a lecture for them: the lecture is the practice
    assert [c[4] for c in context("举办为期2个月的全市大学生村官大讲堂。")] == ["training"]
    assert [c[4] for c in context("今年共有大学生村官120名。")] == ["recruitment"]


def test_a_list_goes_on_past_the_line_breaks_of_a_hard_wrapped_paragraph() -> None:
    wrapped = (
        "全县共发展党员1200名，其中女党员占25.5%，少数民族党员占3.2%，35岁以下的占40.1%；专业技术人员\n"
        "占18.04%，农牧渔民占29.39%。"
    )
    assert [c[4] for c in context(wrapped)] == ["party_building"] * 6
    # a paragraph's end (a full stop before the break) ends it
    paragraphs = "全县共发展党员1200名。\n专业技术人员占18.04%，农牧渔民占29.39%。"
    assert [c[4] for c in context(paragraphs)] == ["party_building", "talent", "talent"]


def test_people_counted_where_only_a_field_is_named_are_evidence_of_that_field() -> None:
    body = "市人社局昨天公示了领军人才培养工程拟入选名单。其中包括第一层次人选60名。"
    assert [c[4] for c in context(body)] == ["talent"]
    # …not things counted there
    assert [c[4] for c in context("全市人才工作会议召开。会上印发文件22条。")] == ["other"]


def test_a_pool_named_among_the_groups_counted_says_who_some_of_them_are() -> None:
    # one group of a list, or a group the counted phrase runs past: what is done decides
    body = "共有183名乡科级领导、中青年后备干部以及社区干部参加集中培训。"
    assert [c[4] for c in context(body)] == ["training"]
    body = "2008年对全省1500余名领导干部、后备干部、基层干部进行了重点培训。"
    assert [c[4] for c in context(body)] == ["training"]
    # …not a list of figures, each counting a pool's members, nor a list inside a bracket
    body = "选拔培养了58名社区两委主要负责人后备干部、17名县直部门正职后备干部。"
    assert [c[4] for c in context(body)] == ["reserve_pool", "reserve_pool"]
    body = "另有8名乡(镇、街道)领导班子正职后备人选的年龄要求为40岁以下。"
    assert [c[4] for c in context(body)] == ["reserve_pool"]


def test_a_count_of_a_fields_own_people_is_evidence_of_that_field() -> None:
    # party members counted, with no practice in their sentence: party building, before
    # the practice of their paragraph; a practice named with them decides
    body = "截至2021年底，全省共有党员421.7万名；党的基层组织19.6万个。全省换届圆满完成。"
    assert [c[4] for c in context(body)] == ["party_building", "party_building"]
    body = "今年县委党校共培训党员1200人次。全省换届圆满完成。"
    assert [c[4] for c in context(body)] == ["training"]
    # …not what a copula says the people are (see the paragraph practice test above)
    body = "县里选派20名高校毕业生到村任职锻炼。其中8人是中共党员。"
    assert [c[4] for c in context(body)] == ["frontline", "frontline"]


def test_competing_for_posts_is_promotion() -> None:
    body = "全县从22个县直部门中拿出46个股级领导职位，面向全县开展竞争上岗。"
    assert [c[4] for c in context(body)] == ["promotion", "promotion"]


def test_posts_given_or_filled_are_reported() -> None:
    # an aspect marker in the figure's clause: the posts were given (拿出了) or filled
    assert [c[3] for c in context("县里这次一共拿出了25个科级领导职位。")] == ["reported"]
    body = "全市对6个正科级职位进行了竞争上岗。"
    assert [c[3] for c in context(body)] == ["reported"]
    # …not the count of an offer (达到了), nor posts offered with no marker
    body = "今年全省乡镇机关的选调职位达到了150个。"
    assert [c[3] for c in context(body)] == ["planned"]
    assert [c[3] for c in context("县里这次一共拿出25个科级领导职位。")] == ["planned"]


def test_a_figures_own_predicate_tells_it_done_after_an_earlier_plan_cue() -> None:
    # the plan's cue (公开选拔) governs its own clause; the figure's predicate has 了
    body = "县里公开选拔副科级干部开考，600余人参加了笔试。"
    assert [c[3] for c in context(body)] == ["reported"]
    # …its predicate telling a plan or nothing: the cue stands
    body = "县里公开选拔副科级干部，计划选拔40名。"
    assert [c[3] for c in context(body)] == ["planned"]


def test_an_open_selection_told_done_by_an_adverb_of_the_past_is_reported() -> None:
    assert [c[3] for c in context("多年来，全县已经公开选拔科级干部310多名。")] == ["reported"]
    assert [c[3] for c in context("全县先后公开选拔科级干部310多名。")] == ["reported"]
    assert [c[3] for c in context("今年全县公开选拔科级干部31名。")] == ["planned"]


def test_a_secondment_to_be_tempered_is_a_secondment() -> None:
    # 挂职锻炼: the second half of the compound is no posting to the front line
    body = "今年全省选派210名干部参加挂职锻炼，其中乡科级干部150人。"
    assert [c[4] for c in context(body)] == ["secondment", "secondment"]
    assert [c[4] for c in context("全县选派30名年轻干部到信访一线锻炼。")] == ["frontline"]


def test_honours_conferred_and_the_party_awards_titles_are_incentives() -> None:
    # an honour received (荣获), and the titles of the party's awards naming its own people
    # and bodies: an award, not the party organisations counted
    body = "县委表彰大会上，全县26名优秀党务工作者和14个先进基层党组织受到表彰。"
    assert [c[4] for c in context(body)] == ["incentives", "incentives"]
    body = "其中，城关镇某村支部书记等9人荣获“全市优秀共产党员”称号。"
    assert [c[4] for c in context(body)] == ["incentives"]
    # …the organisations themselves counted: the field
    assert [c[4] for c in context("全县共有14个基层党组织。")] == ["party_building"]


def test_after_a_relative_clause_the_practice_right_after_the_counted_phrase_decides() -> None:
    # the relative clause (…换届试点乡镇的) says which people; what is done follows them
    body = "县委组织部对全县36位换届后新任的村党组织书记进行集中培训。"
    assert [c[4] for c in context(body)] == ["training"]


def test_examinees_are_a_recruitments_people() -> None:
    # the share of the examinees who are party members: of a recruitment, no party building
    body = "参加笔试的考生均为本科以上学历，其中中共党员占考生总数的41.3%。"
    assert [c[4] for c in context(body)] == ["recruitment"]


def test_an_admonishing_talk_with_cadres_is_evaluation() -> None:
    body = "对群众满意度低的村干部，镇党委先后约谈14人，责令限期整改5人。"
    assert [c[4] for c in context(body)] == ["evaluation", "evaluation"]


def test_removals_and_moves_to_other_posts_are_promotion() -> None:
    body = "县委年内交流干部21人，改任非领导职务的6人，免职2人。"
    assert [c[4] for c in context(body)] == ["rotation", "promotion", "promotion"]


def test_lecturers_lecture_tours_and_lessons_are_training() -> None:
    assert [c[4] for c in context("县委为52名兼职讲师颁发聘书。")] == ["training"]
    body = "组织开展96场“政策进万家”宣讲活动，覆盖群众1.3万人次。"
    assert [c[4] for c in context(body)] == ["training", "training"]
    assert [c[4] for c in context("全年到村、社区开展送学送课47场次。")] == ["training"]


def test_a_job_fair_is_talent_work() -> None:
    body = "这场招聘会，共有45家单位参加，提供岗位600个。"
    assert [c[4] for c in context(body)] == ["talent", "talent"]


def test_a_trades_front_line_workers_are_no_posting_to_the_front_line() -> None:
    body = "县电视台请来导师，12名一线记者与省台的资深编辑结对。"
    assert [c[4] for c in context(body)] == ["mentoring"]
    assert [c[4] for c in context("全县选派12名干部到防汛一线。")] == ["frontline"]


def test_elections_in_a_sentence_telling_party_organisations_elections_are_theirs() -> None:
    body = "截至5月底，全县212个村党组织全部完成换届，按期换届率为100%。"
    assert [c[4] for c in context(body)] == ["party_building", "party_building"]
    # …not an election of the county's bodies
    assert [c[4] for c in context("全县换届顺利完成，按期换届率为100%。")] == ["promotion"]


def test_cadres_who_will_set_out_for_their_posts_are_planned() -> None:
    body = "这次选派的16位同志将全部开赴受援县，在当地挂职2年。"
    assert [c[3] for c in context(body)] == ["planned", "planned"]


def test_what_was_in_fact_enrolled_and_a_plan_exceeded_are_reported() -> None:
    body = "全县今年计划招生300人，实际招生342人，超额完成任务14%。"
    assert [c[3] for c in context(body)] == ["planned", "reported", "reported"]


def test_a_post_named_before_its_figure_with_a_note_between_is_offered() -> None:
    body = "县委办公室文秘职位(一级科员)2名。"
    assert [c[3] for c in context(body)] == ["planned"]


def test_a_percentage_weighing_a_selections_scores_is_its_rule() -> None:
    body = "县里公开遴选了8名科员，笔试成绩与面试成绩各占50%，最后成绩按面试分值占60%计算。"
    assert [c[3] for c in context(body)] == ["reported", "planned", "planned"]
    body = "综合成绩以笔试占40%权重、面试占60%权重计算。"
    assert [c[3] for c in context(body)] == ["planned", "planned"]
    # …not a share of cadres (干部分别占: 分别, not a score)
    assert [c[3] for c in context("该县科级干部分别占总数的68%。")] == ["reported"]


def test_a_public_hiring_by_xuanzhao_is_recruitment() -> None:
    body = "近两年，该区面向全省选招专业干部46人，其中科级干部6人。"
    assert [c[4] for c in context(body)] == ["recruitment", "recruitment"]


def test_the_share_a_plan_gives_a_part_of_its_figure_is_planned() -> None:
    body = "市里将公开选拔20名正科级干部，其中女干部占5名，党外干部4名。"
    assert [c[3] for c in context(body)] == ["planned", "planned", "planned"]
    body = "这次招考的职位名额30名中，基层岗位占18名。"
    assert [c[3] for c in context(body)] == ["planned", "planned"]
    # …a share of what was done stays a fact
    body = "去年选拔了20名正科级干部，其中女干部占5名。"
    assert [c[3] for c in context(body)] == ["reported", "reported"]


def test_a_group_named_again_by_its_figure_keeps_its_practice() -> None:
    body = "今年，全县已有6名年轻干部到省直单位挂职。6名年轻干部中，有4人是“85后”。"
    assert [c[4] for c in context(body)] == ["secondment", "secondment", "secondment"]
    # …not another group of the same size
    body = "今年，全县已有6名年轻干部到省直单位挂职。6名老干部中，有4人是“85后”。"
    assert [c[4] for c in context(body)][1] == "other"


def test_masters_and_apprentices_of_a_pairing_are_mentoring() -> None:
    body = "镇里为新来的9名大学生找了“师傅”，又为15名村干部举行了拜师仪式。"
    assert [c[4] for c in context(body)] == ["mentoring", "mentoring"]


def test_talent_counted_is_talent_work_before_its_paragraphs_practice() -> None:
    body = "全县建立乡土人才考核制度，年底考核一次。普查登记的820名乡土人才分为三个层次。"
    assert [c[4] for c in context(body) if c[0] == "820名"] == ["talent"]


def test_a_fields_people_in_the_counted_phrase_say_who_not_what_is_done() -> None:
    body = "今年该县安排15名年轻干部、高层次人才到县直部门挂职锻炼。"
    assert [c[4] for c in context(body)] == ["secondment"]
    # …and with nothing else named, who they are is what is counted
    assert [c[4] for c in context("全县共有120名高层次人才。")] == ["talent"]


def test_who_a_later_figure_counts_is_no_evidence_for_an_earlier_one() -> None:
    body = "今年新来的干部里，女干部占30%，后备干部占20%。"
    assert [c[4] for c in context(body)] == ["other", "reserve_pool"]
    # …but bodies listed are of one field, and 、 joins one count (6批、300名…人才)
    body = "全县辖党委12个，党支部310个。"
    assert [c[4] for c in context(body)] == ["party_building", "party_building"]


def test_a_plan_given_in_a_list_of_things_is_no_plan_cue() -> None:
    body = "入职以来，单位为每名新人准备了1本工作手册、1份成长计划、2次集体谈话。"
    assert [c[3] for c in context(body)] == ["reported", "reported", "reported"]


def test_a_range_of_days_is_a_period_only_as_the_time_figures_fall_in() -> None:
    body = "4月11日至13日，县委组织部举办培训班，86名干部参加。"
    assert [c[2] for c in context(body)] == [""]
    body = "在6月2日至3日两天里，共有9名干部到村任职。"
    assert [c[2] for c in context(body)] == ["", "在6月2日至3日两天里"]  # 两天 itself: none


def test_people_named_by_the_stage_they_passed_or_where_they_come_from() -> None:
    assert [c[1] for c in context("经过笔试，共有56人进入面试。")] == ["进入面试"]
    assert [c[1] for c in context("经审核，有31人符合报考条件。")] == ["符合报考条件"]
    body = "公示的12名干部中，其中7人来自省直机关。"
    assert [c[1] for c in context(body)] == ["干部", "来自省直机关"]


def test_units_described_by_a_set_phrase_are_counted_by_the_head_after_it() -> None:
    body = "全市建成了8个独具特色的干部培训基地。"
    assert [c[1] for c in context(body)] == ["干部培训基地"]
    assert [c[1] for c in context("全省16个省(区)的对口培训班结业。")] == ["省(区)"]  # owners


def test_since_its_own_start_after_the_subject_is_a_period() -> None:
    body = "县里的村干部学历提升工作自开展以来，共有48人报名。"
    assert [c[2] for c in context(body)] == ["自开展以来"]
