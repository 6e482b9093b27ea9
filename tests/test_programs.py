"""Programmes on hand-written sentences: named initiatives in, slogans and quoted words out."""

from __future__ import annotations

import pytest

from orgwork.extractors.programs import find_programs
from tests.conftest import make_doc


def programs(sentence: str) -> list[tuple[str, str, str]]:
    return [(p.name, p.full_name, p.type) for p in find_programs(make_doc(sentence))]


CASES = [
    ("每周的“蓬江夜校”经济专题培训成为大平台。", [("蓬江夜校", "蓬江夜校", "夜校")]),
    ("实施“菁蓝”工程，培养年轻干部。", [("菁蓝", "菁蓝工程", "工程")]),
    ("建立“三级导师”帮带制，结对培养。", [("三级导师", "三级导师帮带制", "帮带制")]),
    ("推进产业工程师集聚计划，培育人才。", [("产业工程师集聚计划", "产业工程师集聚计划", "计划")]),
    ("深化「青蓝结对」机制，传帮带。", [("青蓝结对", "青蓝结对机制", "机制")]),
    ("开展『双百』行动，服务企业。", [("双百", "双百行动", "行动")]),
    ('组织"比武打擂"活动，选树典型。', [("比武打擂", "比武打擂活动", "活动")]),
    (
        "通过实施”墩苗计划””青苗工程”，结构持续优化。",
        [("墩苗计划", "墩苗计划", "计划"), ("青苗工程", "青苗工程", "工程")],
    ),
    (
        "推行“上派”“下挂”双向交流机制。",
        [("上派", "上派", "机制"), ("下挂", "下挂双向交流机制", "机制")],
    ),
    ("举办“强素质”专题培训21期。", [("强素质", "强素质专题培训", "专题培训")]),
    (
        "推行“三述三评”“墩苗育才”机制。",
        [("三述三评", "三述三评", "机制"), ("墩苗育才", "墩苗育才机制", "机制")],
    ),
    ("启动“5年5000新秀”计划。", [("5年5000新秀", "5年5000新秀计划", "计划")]),
    ("设立“金梧桐”奖，评选领军干部。", [("金梧桐", "金梧桐奖", "奖")]),
    ("推进农村党建攻坚行动。", [("农村党建攻坚行动", "农村党建攻坚行动", "行动")]),
    # quotations listed before 等, a quoted label of their kind and a type word: the items are
    # names, the label is none
    (
        "今年的考试包括“县乡公务员统一招考”“面向退役士兵定向招录”等“联考”项目。",
        [
            ("县乡公务员统一招考", "县乡公务员统一招考", "项目"),
            ("面向退役士兵定向招录", "面向退役士兵定向招录", "项目"),
        ],
    ),
    # a count of sessions after the verb is no part of an unquoted name
    ("每季度举办三期夜读班活动,干部踊跃参加。", []),
    (
        "去年开展两批青年干部蹲点调研活动,成效明显。",
        [("青年干部蹲点调研活动", "青年干部蹲点调研活动", "活动")],
    ),
    # a quotation said to be launched in full names an initiative
    ("这标志着该县推行的“师带徒”全面启动。", [("师带徒", "师带徒", "")]),
    # principles listed in one quotation are a slogan, even after a verb that runs initiatives
    ("县里建立了“分级负责、条块结合、动态跟踪”的管理机制。", []),
    # the country's programme of sending cadres to the border regions, not the cadres sent
    ("自2001年开展干部援疆工作以来,先后选派多批。", [("干部援疆", "干部援疆", "")]),
    ("又一批援疆干部抵达喀什。", []),
    # an unquoted name opening with an adjective and 的 describes the plan, it names none
    ("各单位要实施切实的帮扶计划,确保见效。", []),
    # a stray closing mark (left by a damaged page) does not swallow the next quotation
    (
        "帮助他们健康成长!”区委组织部负责人说。建立“青蓝结对”导师帮带制。",
        [("青蓝结对", "青蓝结对导师帮带制", "导师帮带制")],
    ),
    # slogans, rhetoric and quoted ordinary words
    ("不断创新发展“晋江经验”。", []),
    ("取得队伍建设与乡村振兴“双丰收”。", []),
    ("坚持“缺什么引什么”。", []),
    ("引导年轻干部目光向“下”、脚步向“下”。", []),
    ("镇、街道是城市的“细胞”。", []),
    ("有效避免了“临时”观点。", []),
    ("充分发挥市管干部“关键少数”作用。", []),
    ("进行高强度的集中学习“充电”。", []),
    ("加大干部“送出去”培训力度。", []),
    ("白天驻村工作，晚上“夜校”培训。", []),
    ("聚焦“四个维度”，着力推进。", []),
    ("打好新一轮三年行动计划收官战。", []),
    # unquoted classes, schools, projects and systems named by their modifier
    (
        "13日,某区第三期青年干部培训班在区委党校开班。",
        [("青年干部培训班", "青年干部培训班", "培训班")],
    ),
    (
        "县委党校承办的中青年干部培训班圆满结业。",
        [("中青年干部培训班", "中青年干部培训班", "培训班")],
    ),
    ("在选调生培训班结业式上,他作了讲话。", [("选调生培训班", "选调生培训班", "培训班")]),
    (
        "2023年乡村振兴干部人才能力提升研修班开班。",
        [("乡村振兴干部人才能力提升研修班", "乡村振兴干部人才能力提升研修班", "研修班")],
    ),
    # a class's long modifier names it without a word of the trade's people
    (
        "我校举办城市更新治理专题培训班。",
        [("城市更新治理专题培训班", "城市更新治理专题培训班", "培训班")],
    ),
    ("联合开办年轻干部成长学院,首期学员40名。", [("年轻干部成长学院", "年轻干部成长学院", "学院")]),
    (
        "深化年轻干部梯队成长工程推进会召开。",
        [("年轻干部梯队成长工程", "年轻干部梯队成长工程", "工程")],
    ),
    (
        "认真开展好党员干部在线学习活动,提高素质。",
        [("党员干部在线学习活动", "党员干部在线学习活动", "活动")],
    ),
    (
        "全面实行干部实绩综合评价制、重要岗位试用期制。",
        [
            ("干部实绩综合评价制", "干部实绩综合评价制", "制"),
            ("重要岗位试用期制", "重要岗位试用期制", "制"),
        ],
    ),
    ("2019年秋季中青班开学典礼举行。", [("中青班", "中青班", "中青班")]),
    (
        "第26期商丘市管领导干部进修班开学。",
        [("商丘市管领导干部进修班", "商丘市管领导干部进修班", "进修班")],
    ),
    # a practice a headline names as a whole: only before 工作, 公告 …
    (
        "市委组织部启动第二批高层次党外人士挂职锻炼工作。",
        [("高层次党外人士挂职锻炼", "高层次党外人士挂职锻炼", "挂职锻炼")],
    ),
    ("选派年轻干部到乡镇挂职锻炼,为期一年。", []),
    # a school, a description, a quota, an ordinary word ending in 制: no programme
    ("先后在井冈山干部学院等地办班。", []),
    ("是加强干部队伍建设的基础性工程。", []),
    ("按照年度公务员招考计划的比例录用。", []),
    ("举办多样化人才交流活动。", []),
    ("健全人才发展机制,完善干部人事制度。", []),
    ("分类开设乡镇专干主体培训班次。", []),
    ("他为培训班作了动员讲话,本期培训班共安排12课。", []),
    # quoted names with the type word after them, even where the phrase goes on
    (
        "镇里举行“薪火相传”师徒结对仪式,10对师徒结对。",
        [("薪火相传", "薪火相传师徒结对仪式", "结对仪式")],
    ),
    ("在一场“青春逐梦”沙龙上,大家畅谈体会。", [("青春逐梦", "青春逐梦沙龙", "沙龙")]),
    ("自“红帆”工程实施以来,成效明显。", [("红帆", "红帆工程", "工程")]),
    ("以“干部作风提升年”为牵引,深化改革。", [("干部作风提升年", "干部作风提升年", "提升年")]),
    (
        "暨“新青年·新担当”年轻干部培训班开班。",
        [("新青年·新担当", "新青年·新担当年轻干部培训班", "培训班")],
    ),
    # numbers are names with a type word after them, not without
    ("出台《关于培养选拔年轻干部“311”工程的实施意见》。", [("311", "311工程", "工程")]),
    ("建立“2+1”导师帮带机制。", [("2+1", "2+1导师帮带机制", "机制")]),
    ("30岁以下的“80”后干部。", []),
    # a single quotation inside a speech
    (
        "“通过实施‘三年攻坚计划’,加大选拔力度。”他说。",
        [("三年攻坚计划", "三年攻坚计划", "计划")],
    ),
    # rhetoric: idioms, verb phrases, labels of schools, a type word past 的
    ("搭建培训、实践、考核“三位一体”成长平台。", []),
    ("领导化身导师“进课堂”,开展授课。", []),
    ("入选“双一流”院校的毕业生。", []),
    ("这是园区成立以来“签约最快、投产最快”的项目。", []),
    # a mechanism set up, named without quotes (制度, 责任制)
    ("推行县处领导包联制度。", [("县处领导包联制度", "县处领导包联制度", "制度")]),
    (
        "建立基层党组织发展目标责任制，修订党员发展细则。",
        [("基层党组织发展目标责任制", "基层党组织发展目标责任制", "责任制")],
    ),
    # a rank said of a priority, and labels of kinds of villages, are no programmes
    ("把乡村振兴作为全县组织工作的“一号工程”来抓。", []),
    ("帮扶集体经济“空壳村”、基础设施“落后村”、矛盾突出“难点村”。", []),
    ("他们在“体悟?qū实训”中成长。", []),
    # a quotation the text defines with 是, unless it is a word of the dictionary
    ("“‘三同四一’是年轻干部培训的规定动作。", [("三同四一", "三同四一", "")]),
    ("他提到的“远山计划”,是该县的一项举措。", [("远山计划", "远山计划", "计划")]),
    ("“一把手”是关键。", []),
    # a quoted verb phrase before a verb and a type word: the manner of that verb
    ("聚焦短板弱项,“量身定制”帮带计划。", []),
    # …and so is a word of the dictionary before a verb, without a type word
    ("对新录用公务员进行“手把手”帮带。", []),
    ("实施“青蓝共进”培养,结对40对。", [("青蓝共进", "青蓝共进", "")]),
    # a policy the report's unit issued, not one it only cites, nor a notice
    (
        "制定出台《关于加强优秀年轻干部日常管理的若干意见》,跟踪培养。",
        [
            (
                "关于加强优秀年轻干部日常管理的若干意见",
                "关于加强优秀年轻干部日常管理的若干意见",
                "意见",
            )
        ],
    ),
    (
        "根据省里下发的《某省省管干部任前公示暂行办法》有关规定。",
        [("某省省管干部任前公示暂行办法", "某省省管干部任前公示暂行办法", "办法")],
    ),
    ("根据《关于加强新时代村干部队伍建设的意见》等文件精神。", []),
    # a plan issued under its title is the plan; one only cited is not the report's
    (
        "市委印发《某市青年人才引育三年行动计划》,每年引进人才。",
        [("某市青年人才引育三年行动计划", "某市青年人才引育三年行动计划", "行动计划")],
    ),
    ("依据《某市青年人才引育三年行动计划》有关要求。", []),
    # a quotation in the title of a plan issued is part of its name
    (
        "近日印发《某县“乡土能人回归”计划工作方案》,面向在外人才。",
        [("某县乡土能人回归计划工作方案", "某县乡土能人回归计划工作方案", "工作方案")],
    ),
    ("联合下发的《关于做好选调生招录工作的通知》。", []),
    # classes, camps, forums and contests by their type noun, quoted or not
    ("依托“初心学堂”,开展党性教育。", [("初心学堂", "初心学堂", "学堂")]),
    ("举办“青年干部成长营”,100人参加。", [("青年干部成长营", "青年干部成长营", "成长营")]),
    ("举办第二期青年干部论坛,50名干部参加。", [("青年干部论坛", "青年干部论坛", "论坛")]),
    (
        "县委组织部举办2023年度优秀年轻干部示范班。",
        [("优秀年轻干部示范班", "优秀年轻干部示范班", "示范班")],
    ),
    (
        "举办全县组工干部业务技能大比武,30人参赛。",
        [("全县组工干部业务技能大比武", "全县组工干部业务技能大比武", "大比武")],
    ),
    ("举办青干班,30人参训。", [("青干班", "青干班", "青干班")]),
    ("启动“青干班”,选拔学员。", [("青干班", "青干班", "青干班")]),
    # a forum or an evening school right after the verb that sets it up needs no anchor word
    ("开办乡村振兴大讲堂,邀请专家授课。", [("乡村振兴大讲堂", "乡村振兴大讲堂", "大讲堂")]),
    ("在乡村振兴大讲堂上,专家作了报告。", []),
    # a type noun outside the vocabulary, by its head character after the quotation
    ("举办“青马”班,培养青年干部。", [("青马", "青马班", "班")]),
    ("推行“党建”积分制,量化考核。", [("党建", "党建积分制", "积分制")]),
    ("设立“组工”开放日,接待群众。", [("组工", "组工开放日", "开放日")]),
    # … but not an ordinary word or a count ending in one, nor a press conference
    ("全面把握“十四五”社会发展。", []),
    ("“双报到”两个月来,成效明显。", []),
    ("在西宁举行的“十年来对口支援工作成效”新闻发布会上。", []),
    ("在全市“两新”组织党建工作会上作交流发言。", []),
    # an unquoted name after its verb, before a stop or a word that ends the phrase
    (
        "深入实施乡村振兴头雁工程以来,成效明显。",
        [("乡村振兴头雁工程", "乡村振兴头雁工程", "工程")],
    ),
    (
        "启动实施青年人才托举工程,遴选50人。",
        [("青年人才托举工程", "青年人才托举工程", "工程")],
    ),
    ("举办组工干部业务知识竞赛。", [("组工干部业务知识竞赛", "组工干部业务知识竞赛", "竞赛")]),
    # the report's own practice, named as a whole after 此次; not a practice only mentioned
    ("省纪委将对此次公开选拔工作进行全程监督。", [("公开选拔", "公开选拔", "公开选拔")]),
    ("做好公开选拔工作。", []),
    # a quoted name with its own type word before 后 or 学生: no label of people
    ("启动“青苗工程”后,选派干部50名。", [("青苗工程", "青苗工程", "工程")]),
    ("实施“墩苗计划”学生干部培养。", [("墩苗计划", "墩苗计划", "计划")]),
    ("推行“三好”学生评选。", []),
    # more verbs that set up, run or admit to an initiative
    ("2名干部入选“领航者”,接受培养。", [("领航者", "领航者", "")]),
    ("团县委发起“千企万岗”,帮助就业。", [("千企万岗", "千企万岗", "")]),
    ("组织“青春引航”,开展交流。", [("青春引航", "青春引航", "")]),
    # … but 组织 ending 党组织 is no verb: the quotation is an epithet of its secretaries
    ("选好配强村级党组织“排头兵”,带动发展。", []),
    # 建设 is no such verb: 建设的基础性工程 is a description
    ("选调生工作是加强干部队伍建设的基础性工程。", []),
    # a verb with 了 or 好 before the name
    ("认真开展好“书记讲堂”。", [("书记讲堂", "书记讲堂", "讲堂")]),
    ("认真开展好“擂台比拼”,晒实绩。", [("擂台比拼", "擂台比拼", "")]),
    ("全面启动了“墩苗”计划。", [("墩苗", "墩苗计划", "计划")]),
    (
        "实施了年轻干部递进培养计划,选拔20人。",
        [("年轻干部递进培养计划", "年轻干部递进培养计划", "计划")],
    ),
    # a dictionary word right before a plan's type word names the plan (no verb before it) …
    ("开展年轻干部“蹲苗”计划,选派20人。", [("蹲苗", "蹲苗计划", "计划")]),
    ("推出青年人才“领航”工程。", [("领航", "领航工程", "工程")]),
    # … but not with words between (“三位一体”互动平台), nor before a type word of its own
    ("搭建“三位一体”互动平台。", []),
    # a type word after a verb belongs to a new clause, not to the quotation before it
    ("以“青春心向党”为主题开展演讲比赛。", []),
    ("她在“到一线去锤炼”主题演讲中获二等奖。", []),
    # an unquoted activity after its verb, when its modifier says which one …
    (
        "深入开展万名干部进万家活动,走访群众。",
        [("万名干部进万家活动", "万名干部进万家活动", "活动")],
    ),
    # … not one any activity is described by
    ("开展健康文体活动,丰富生活。", []),
    ("进行学习考察活动。", []),
    ("开展特色活动。", []),
    ("开展了一场别开生面的座谈交流活动。", []),
    # … nor one whose modifier says only whose it is and what kind (its people, 学习培训)
    ("县里组织了一场独特的干部选拔活动。", []),
    ("以读书为主题的镇(街)干部学习培训活动在县城举行。", []),
    ("青年干部进社区活动在全县举行。", [("青年干部进社区活动", "青年干部进社区活动", "活动")]),
    ("组织政治理论学习及联络联谊活动。", []),
    # a quotation the text says was run or opened names an initiative
    ("“青蓝接力”实施以来,共结对120对。", [("青蓝接力", "青蓝接力", "")]),
    ("“红色头雁”正式开班,学员50名。", [("红色头雁", "红色头雁", "")]),
    # a venue set up with 了 after the verb
    ("成立了乡村振兴学院,培训村干部。", [("乡村振兴学院", "乡村振兴学院", "学院")]),
    # a quoted bare type word is named by a modifier of the trade's people before it
    ("每周举办青年干部“夜校”。", [("青年干部夜校", "青年干部夜校", "夜校")]),
    ("开展村书记“擂台赛”,比实绩。", [("村书记擂台赛", "村书记擂台赛", "擂台赛")]),
    ("举办“培训班”。", []),
    # a modifier opening with a fixed phrase of the trade's people names the system
    ("实行发展党员公示制,接受监督。", [("发展党员公示制", "发展党员公示制", "制")]),
    # a degree class of a party school
    (
        "在县委党校举办了社区干部大专班,提升学历层次。",
        [("社区干部大专班", "社区干部大专班", "大专班")],
    ),
    # 计划 as a verb: no plan
    ("8个岗位计划招聘16名工作人员。", []),
    # two unquoted systems joined by 和 are two programmes; a plan joined to one is not split
    (
        "建立了党员议事常设制和乡镇领导包村制度。",
        [
            ("党员议事常设制", "党员议事常设制", "制"),
            ("乡镇领导包村制度", "乡镇领导包村制度", "制度"),
        ],
    ),
    (
        "推进党员发展规划和责任制,实行。",
        [("党员发展规划和责任制", "党员发展规划和责任制", "责任制")],
    ),
    # a practice named after the verb that runs it: with the people it selects, or ending its
    # clause; its modifier holds 党组织 whole (组织 is no start there)
    (
        "首次组织开展省州县集中公开选拔领导干部工作,全省。",
        [("省州县集中公开选拔领导干部", "省州县集中公开选拔领导干部", "公开选拔")],
    ),
    (
        "集中开展了村党组织书记公开遴选。",
        [("村党组织书记公开遴选", "村党组织书记公开遴选", "公开遴选")],
    ),
    # … or by the whole clause after that verb, over places, people, 和 and 、
    (
        "自2008年启动边疆地区和民族地区干部到沿海发达省份挂职锻炼以来,共选派干部。",
        [
            (
                "边疆地区和民族地区干部到沿海发达省份挂职锻炼",
                "边疆地区和民族地区干部到沿海发达省份挂职锻炼",
                "挂职锻炼",
            )
        ],
    ),
    (
        "县里召开选派年轻干部到甲、乙两镇挂职锻炼工作会议。",
        [("选派年轻干部到甲、乙两镇挂职锻炼", "选派年轻干部到甲、乙两镇挂职锻炼", "挂职锻炼")],
    ),
    (
        "今年开展2015年市直单位公开遴选工作。",
        [("2015年市直单位公开遴选", "2015年市直单位公开遴选", "公开遴选")],
    ),
    (
        "该县开展镇村干部双向挂职锻炼,促进交流。",
        [("镇村干部双向挂职锻炼", "镇村干部双向挂职锻炼", "双向挂职锻炼")],
    ),
    ("开展干部挂职锻炼工作。", []),
    # … not a clause saying what a decision is about
    ("大家要认真落实省委关于东西部对口支援工作的安排。", []),
    # … or before an event held for its people (a training meeting, a test)
    (
        "日前召开的2019年东部沿海和中西部地区挂职锻炼干部座谈会上,大家交流体会。",
        [("东部沿海和中西部地区挂职锻炼", "东部沿海和中西部地区挂职锻炼", "挂职锻炼")],
    ),
    (
        "2020年全省面向社会选聘应届毕业生到村任职综合测试在省城举行。",
        [("全省面向社会选聘应届毕业生到村任职", "全省面向社会选聘应届毕业生到村任职", "到村任职")],
    ),
    # cadres sent to live in villages are a practice too
    ("今年开展乡村振兴驻村工作,选派干部50名。", [("乡村振兴驻村", "乡村振兴驻村", "驻村")]),
    # … not without that verb: a headline saying who did it, a way of choosing
    ("强基——中共鹤岗市委公开遴选社区党组织书记工作侧记", []),
    ("从优秀年轻干部中公开选拔,择优。", []),
    ("召开了公开选拔领导干部工作会议。", []),
    # a quotation ending in a verb and a type word says a task (打造品牌), it names none …
    ("以“健全组织、规范管理、激发活力、打造品牌”为工作重点。", []),
    # … unless a type word after it makes it a plan's name
    ("实施“打造品牌”计划。", [("打造品牌", "打造品牌计划", "计划")]),
    # the country's programmes by their short names, quoted or not, inside a longer quotation
    (
        "面向“三支一扶”、“西部计划志愿者”和大学生“村官”等群体招录。",
        [("三支一扶", "三支一扶", ""), ("西部计划", "西部计划", "")],
    ),
    ("参加“志愿服务西部计划”。", [("志愿服务西部计划", "志愿服务西部计划", "计划")]),
    # classes listed as the kinds a party school runs are no initiatives
    ("县委党校开办乡科级干部进修班、青年干部培训班、村干部示范班等主体班次12期。", []),
    ("举办第十四期青年干部培训班,培训学员50名。", [("青年干部培训班", "青年干部培训班", "培训班")]),
    # paired training between regions is a practice named after the verb that runs it
    (
        "组织实施了东西部公务员对口培训。",
        [("东西部公务员对口培训", "东西部公务员对口培训", "对口培训")],
    ),
    # the people it is of may stand between the verb and the quotation …
    ("开展年轻干部“上挂下派”锻炼,提升能力。", [("上挂下派", "上挂下派", "")]),
    # … and so may a count of its sessions (举办3期, 开展一次)
    ("今年开设6期“田间问答”,累计3千人收看。", [("田间问答", "田间问答", "")]),
    ("学成后组织一次“乡村归来谈收获”的交流。", [("乡村归来谈收获", "乡村归来谈收获", "")]),
    ("开展一次“充电”,提升本领。", []),
    # … not where they went (赴 starts a new phrase), nor without the verb
    ("组织新录用公务员赴“一山一岛一馆”研学。", []),
    ("年轻干部“上挂下派”锻炼成效明显。", []),
    # classes named by how or for whom they teach: any X训班, 提高班, 走读班, 师资班
    ("今年举办2期“乡镇干部集训班”。", [("乡镇干部集训班", "乡镇干部集训班", "集训班")]),
    ("区委举办“村干部点训班”3期。", [("村干部点训班", "村干部点训班", "训班")]),
    ("该县举办青年干部冬训班,参训60人。", [("青年干部冬训班", "青年干部冬训班", "训班")]),
    ("开设科级干部走读班。", [("科级干部走读班", "科级干部走读班", "走读班")]),
    # a class named as a whole, its modifier no name (县委始办党训班)
    ("1950年,区委始办党训班,培训党员。", [("党训班", "党训班", "党训班")]),
    # an award named at its ceremony, a policy named by its quotation
    ("市里召开“三好一优”表彰大会,表彰先进。", [("三好一优", "三好一优表彰大会", "表彰大会")]),
    ("全面落实“两个九成”政策以来。", [("两个九成", "两个九成政策", "政策")]),
    # a talent fair named by its quotation
    (
        "该省“才聚八方”招聘会吸引众多人才。",
        [("才聚八方", "才聚八方招聘会", "招聘会")],
    ),
    # classes listed next to one whose modifier names the trade's people share its evidence …
    (
        "举办村干部蒙语提高班、蒙语会话强化班和蒙语会话师资班。",
        [
            ("村干部蒙语提高班", "村干部蒙语提高班", "提高班"),
            ("蒙语会话强化班", "蒙语会话强化班", "强化班"),
            ("蒙语会话师资班", "蒙语会话师资班", "师资班"),
        ],
    ),
    (
        "开设乡镇干部大专班(三年制)、定向大专班(两年制)。",
        [
            ("乡镇干部大专班", "乡镇干部大专班", "大专班"),
            ("定向大专班", "定向大专班", "大专班"),
        ],
    ),
    ("开设定向大专班(两年制)。", []),
    # two such classes of one enumeration name each other across other items between them …
    (
        "着力办好精英研修班、专家授课、假日大讲堂等工作。",
        [("精英研修班", "精英研修班", "研修班"), ("假日大讲堂", "假日大讲堂", "大讲堂")],
    ),
    ("着力办好精英研修班,请专家授课。", []),
    # … but schools listed are schools
    ("名单包括某某工程学院、某某医科大学、某某体育学院。", []),
    # … as do Latin letters inside a name, and a forum after a couplet slogan (its theme)
    (
        "开办“学思践悟 砥砺前行”某县AI党建大讲堂、某县法治AI大讲堂等30期。",
        [
            ("某县AI党建大讲堂", "某县AI党建大讲堂", "大讲堂"),
            ("某县法治AI大讲堂", "某县法治AI大讲堂", "大讲堂"),
        ],
    ),
    ("组织开展“学思践悟 砥砺前行”。", []),
    # … but a couplet that a type word follows names a contest
    (
        "围绕“比学赶超 争创一流”竞赛活动抓落实。",
        [("比学赶超 争创一流", "比学赶超 争创一流竞赛", "竞赛")],
    ),
    # the item after a name in a list closing in 等项目 is a project too
    (
        "实施年轻干部成长营、百名干部进百村等项目。",
        [
            ("年轻干部成长营", "年轻干部成长营", "成长营"),
            ("百名干部进百村", "百名干部进百村", ""),
        ],
    ),
    ("举办年轻干部读书班、座谈等活动。", [("年轻干部读书班", "年轻干部读书班", "读书班")]),
    # systems listed three or more together are names; one alone is a description
    (
        "通过结对联系制度、工作日志制度、定期述职制度,强化管理。",
        [
            ("结对联系制度", "结对联系制度", "制度"),
            ("工作日志制度", "工作日志制度", "制度"),
            ("定期述职制度", "定期述职制度", "制度"),
        ],
    ),
    ("通过结对联系制度、工作日志制度,强化管理。", []),
    # ratios of pairing, propositions and very common words quoted are rhetoric too
    ("对新干部实行“一对一”“多对二”的辅导。", []),
    ("全力打造“实干就是担当”示范高地。", []),
    ("建成一批“专门”实训基地。", []),
    # principles, epithets of people and the country's slogans quoted are no initiative
    ("开设“坚持党管干部”等5个专题。", []),
    ("推行“老支书”“老党员”导师帮带机制。", []),
    ("深入落实“四个全面”,推进“放管服”改革。", []),
    # the name a school was given in its history is no initiative; one it holds is
    ("党校1969年改为县委五七干部学习班,1978年复校。", []),
    ("县委举办五七干部学习班。", [("五七干部学习班", "五七干部学习班", "学习班")]),
    # another field's policy run by the report's county is no organisation work
    ("农村推行家庭联产承包责任制后,干部下乡。", []),
    # a start word inside a noun (组织 of 组织部长) does not cut the modifier; a verb of
    # attending does (the guest is no part of the class's name)
    (
        "第三期新任市委组织部长研修班日前结业。",
        [("新任市委组织部长研修班", "新任市委组织部长研修班", "研修班")],
    ),
    (
        "省长王某出席青年干部研修班开班式。",
        [("青年干部研修班", "青年干部研修班", "研修班")],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[0][:12] for c in CASES])
def test_sentence(sentence: str, expected: list[tuple]) -> None:
    assert programs(sentence) == expected


def test_one_record_per_name_with_mentions() -> None:
    doc = make_doc("深化“蓬江夜校”办学机制。每周的“蓬江夜校”培训继续举办。")
    [p] = find_programs(doc)
    assert (p.name, p.mentions) == ("蓬江夜校", 2)
    assert doc.text[p.start : p.end] == p.text


def test_names_inside_one_another_are_one_programme() -> None:
    """The unquoted mention in a headline and the quoted one in the body (a place leading
    the first) are one record, the quoted one's, with both mentions."""
    doc = make_doc(
        "本期“星火·干部能力提升训练营”共有学员50名。", title="某区干部能力提升训练营开营"
    )
    [p] = find_programs(doc)
    assert (p.name, p.type, p.mentions) == ("星火·干部能力提升训练营", "训练营", 2)
    assert doc.text[p.start : p.end] == p.text == "“星火·干部能力提升训练营”"


def test_a_quotation_the_text_returns_to() -> None:
    """Quoted three times and no word of the dictionary: a name of the report's own."""
    doc = make_doc("选派“银色先锋”作为导师。选聘“银色先锋”时看实绩。“银色先锋”带领青年干部。")
    [p] = find_programs(doc)
    assert (p.name, p.mentions) == ("银色先锋", 3)


def test_a_dictionary_word_quoted_again_and_again() -> None:
    doc = make_doc("“一把手”带头。“一把手”负责。“一把手”表态。大学生“村官”、“村官”、“村官”。")
    assert find_programs(doc) == []


def test_a_generation_quoted_again_and_again() -> None:
    assert find_programs(make_doc("“80后”干部。“80后”占九成。选拔“80后”。")) == []


def test_a_name_shortened_later_is_the_same_programme() -> None:
    doc = make_doc("今年启动青年干部跨部门跨层级跨领域交流任职工作。此次开展青年干部交流任职工作。")
    [p] = find_programs(doc)
    assert (p.name, p.mentions) == ("青年干部跨部门跨层级跨领域交流任职", 2)


def test_two_systems_sharing_only_their_head_and_type_word() -> None:
    names = [
        p.name for p in find_programs(make_doc("全面实行重要岗位全委会投票制、重要岗位试用期制。"))
    ]
    assert names == ["重要岗位全委会投票制", "重要岗位试用期制"]


def test_rules_are_checked_on_load(tmp_path) -> None:
    from orgwork.extractors.programs import DATA, load_rules

    text = DATA.read_text(encoding="utf-8")
    for old, new in [
        ('type_head_chars = ["班"', 'type_head_chars = ["班级"'),
        ('venue_type_words = ["论坛"', 'venue_type_words = ["文艺晚会"'),
        ('set_up_verbs = ["举办"', 'set_up_verbs = ["办"'),
        ("listed_min = 3", "listed_min = 1"),
        ("list_item_after_pattern = '、(?P<name>", "list_item_after_pattern = '、(?P<item>"),
        ('listed_type_words = ["制度"]', 'listed_type_words = ["工程"]'),
        ("couplet_pattern = '^", "couplet_pattern = '(^"),
    ]:
        assert old in text
        bad = tmp_path / f"bad{len(new)}.toml"
        bad.write_text(text.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(ValueError):
            load_rules(bad)
