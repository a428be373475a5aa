"""The words of plan documents in kk, ky and ru: column roles, kinds of values, headings, totals.

Data, not code: each entry is a role (or kind) and the stems that name it in a table header,
matched against case-folded text. Order matters where stems overlap: the more specific come first
(``ақпарат көзі`` names an information source before ``көзі`` could name a funding source;
``Мақсатты индикатор`` is an indicator column before ``мақсат`` could name a goal column).
"""

from __future__ import annotations

# role -> stems that name a column of that role in a header (case-folded, any of kk / ky / ru)
COLUMN_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # a grant list's columns (the most specific words, so they come first: "Грант түрі және
    # іске асыру мерзімі" is the grant's type, not a deadline)
    (
        "grant_area",
        ("грант саласы", "гранттың саласы", "сфера гранта", "сфера государственного гр"),
    ),
    ("grant_direction", ("басым бағыт", "приоритетное направлен", "артыкчылыктуу багыт")),
    ("grant_type", ("грант түрі", "гранттың түрі", "вид гранта", "гранттын түрү")),
    ("problem", ("мәселенің қысқаша", "мәселенің сипаттама", "описание проблем", "маселенин")),
    ("territory", ("іске асыру аумағ", "территория реализац", "аймагы", "аумағы")),
    ("requirements", ("базаға талап", "талаптар", "требования к")),
    ("info_source", ("ақпарат көз", "маалымат булаг", "источник информац", "источник данн")),
    (
        "funding_source",
        (
            "қаржыландыру көз",
            "каржылоо булаг",
            "источник финанс",
            "қаржы көз",
            "каржылоонун булаг",
        ),
    ),
    (
        "amount",
        (
            "қаржыландыру көлем",
            "каржылоонун көлөм",
            "объем финанс",
            "сомасы",
            "сумма",
            "қажетті қаражат",
            "керектүү каражат",
            "мың теңге",
            "миң сом",
            "тыс. тенге",
            "тыс. сом",
            "млн. теңге",
            "млн теңге",
            "млн. сом",
            "млн сом",
            "стоимост",
            "құны",
            "наркы",
        ),
    ),
    ("completion_form", ("аяқтау нысан", "аткаруу формас", "форма заверш", "аяқталу нысан")),
    (
        "expected_result",
        (
            "күтілетін нәтиже",
            "күтүлгөн натыйжа",
            "күтүлүүчү натыйжа",
            "ожидаемый результ",
            "ожидаемые результ",
            "күтілген нәтиже",
        ),
    ),
    ("deadline", ("мерзім", "мөөнөт", "срок", "мезгил")),
    (
        "responsible",
        (
            "жауапт",
            "жооптуу",
            "ответствен",
            "исполнител",
            "орындаушы",
            "аткаруучу",
            "ким даярдайт",
        ),
    ),
    (
        "unit",
        (
            "өлшем бірліг",
            "өлчөө бирдиг",
            "өлчөм бирдиг",
            "бирдиги",
            "ед. изм",
            "ед.изм",
            "единица измер",
            "бірлігі",
            "өлчөмү",
            "өлш. бірл",
            "өлш.бірл",
            "ед.",
        ),
    ),
    ("baseline", ("базалық", "базалык", "базов", "исходн")),
    (
        "comment",
        (
            "орындалуы туралы",
            "аткарылышы жөнүндө",
            "аткарылышы тууралуу",
            "информация об испол",
            "примечан",
            "ескерту",
            "эскертүү",
            # why money was not spent: a report's note beside its plan and fact
            "игерілмеу себеп",
            "себептері",
            "причины неосвоен",
            "причины неисполн",
            "себептери",
        ),
    ),
    (
        "measure",
        (
            "іс-шара",
            "іс шара",
            "иш-чара",
            "иш чара",
            "чаралар",
            "мероприят",
            "маселелердин мазмун",
            "каралуучу маселе",
            "жұмыс түр",
            "иштин түр",
        ),
    ),
    (
        "indicator",
        (
            "индикатор",
            "көрсеткіш",
            "көрсөткүч",
            "показател",
            "атауы",
            "аталышы",
            "наименован",
            "атамасы",
        ),
    ),
    ("task", ("міндет", "милдет", "задач")),
    ("goal", ("мақсат", "максат", "цель")),
    ("code", ("№", "р/с", "п/п", "р/н", "қ/с", "код", "n п/п")),
)

# kind of value -> stems naming it in a header cell over (or beside) a year
VALUE_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # the estimate comes first: "Ағымдағы жылдың жоспары (фактісі)" is the current year's
    # expected value, not a fact
    (
        "estimate",
        (
            "баға",
            "бағалау",
            "оценк",
            "күтүлүүчү",
            "күтілетін",
            "ожидаем",
            "болжолдуу",
            "ағымдағы жыл",
            "текущий год",
            "учурдагы жыл",
        ),
    ),
    (
        "fact",
        ("нақты", "факт", "иш жүзүндө", "аткарылды", "отчет", "есепті", "отчетн", "аткарылыш"),
    ),
    ("target", ("нысаналы мән", "целевое знач", "максаттуу маани")),
    ("baseline", ("базалық", "базалык", "базов", "исходн")),
    ("plan", ("жоспар", "план", "болжам", "прогноз", "кезең", "этап", "период", "мезгил")),
)

# Words of a stage that spans several years ("1 кезең", "II этап").
BAND_WORDS: tuple[str, ...] = ("кезең", "этап", "период", "мезгил", "баскыч")

# A row that sums the rows around it, or one that is a part of the row above.
TOTAL_WORDS: tuple[str, ...] = ("барлығы", "бардыгы", "баары", "итого", "всего", "жиыны", "жалпы")
PART_WORDS: tuple[str, ...] = ("оның ішінде", "анын ичинен", "в том числе", "соның ішінде")

# Heading keywords -> node kind (kk, ky, ru)
# "target" comes first: "Мақсатты индикатор" opens an indicator, not a goal.
HEADING_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "target",
        (
            "нысаналы индикатор",
            "мақсатты индикатор",
            "целевой индикатор",
            "целевые индикатор",
            "максаттуу индикатор",
        ),
    ),
    ("direction", ("бағыт", "багыт", "направлени")),
    ("goal", ("мақсат", "максат", "цель")),
    ("task", ("міндет", "милдет", "задача")),
)

# Words a plain heading line starts with that are not headings (list items of a resolution).
NOT_HEADINGS: tuple[str, ...] = ("бекітілсін", "бекитилсин", "утвердить", "кабыл алынсын")
