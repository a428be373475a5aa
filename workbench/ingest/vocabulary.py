"""One small vocabulary of funding sources and responsible bodies shared by every city.

Documents name the same source many ways (``ЖБ``, ``жергиликтүү бюджет``, ``жергілікті бюджет``,
``местный бюджет``); each becomes one canonical code so that a user can filter "everything the local
budget pays for" across cities. Each code has its name in every language.

Responsible bodies get a functional code the same way (``education`` for "Тараз қаласы әкімдігінің
білім бөлімі", "ШБББ" and "Жезқазған қ. ББ" alike), read from keywords in kk, ky and ru and from
the usual department abbreviations; a body that names no known function keeps a code made from its
own name. :func:`link_vocabulary` rebuilds the dataset's ``vocabulary`` and ``assignments`` tables
from the other tables.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

import polars as pl

from workbench.dataset.contract import SCHEMAS, frame_from_rows
from workbench.dataset.text import clean, fold, slug

# code -> names by language (kk, ky, ru)
FUNDING_NAMES: dict[str, dict[str, str]] = {
    "republican": {
        "kk": "республикалық бюджет",
        "ky": "республикалык бюджет",
        "ru": "республиканский бюджет",
    },
    "national_fund": {"kk": "Ұлттық қор", "ky": "Улуттук фонд", "ru": "Национальный фонд"},
    "oblast": {"kk": "облыстық бюджет", "ky": "облустук бюджет", "ru": "областной бюджет"},
    "local": {"kk": "жергілікті бюджет", "ky": "жергиликтүү бюджет", "ru": "местный бюджет"},
    "investor": {"kk": "инвестор қаражаты", "ky": "инвестор каражаты", "ru": "средства инвестора"},
    "sponsor": {"kk": "демеуші қаражаты", "ky": "демөөрчү каражаты", "ru": "средства спонсора"},
    "grant": {"kk": "грант", "ky": "грант", "ru": "грант"},
    "credit": {"kk": "несие", "ky": "кредит", "ru": "кредит"},
    "private": {"kk": "жеке қаражат", "ky": "жеке каражат", "ru": "частные средства"},
    "other": {"kk": "басқа көздер", "ky": "башка булактар", "ru": "другие источники"},
    # ӨКБ: printed without a legend in the Tash-Kömür programme, beside "ЖБ" on the row whose
    # responsible body is the city's "өзгөчө кырдаалдар бөлүмү" (Ө-К-Б): that department's funds.
    "okb": {
        "kk": "ӨКБ (төтенше жағдайлар бөлімінің қаражаты)",
        "ky": "ӨКБ (өзгөчө кырдаалдар бөлүмүнүн каражаты)",
        "ru": "ӨКБ (средства отдела по чрезвычайным ситуациям)",
    },
    "none": {
        "kk": "қаржыландыру талап етілмейді",
        "ky": "каржылоо талап кылынбайт",
        "ru": "не требует финансирования",
    },
}

_LOWER = "[а-яёәғқңөұүһі]"  # a lower-case letter: an abbreviation's edges

# The patterns a source's name needs beyond plain words, over case-folded text. Each begins with
# its own first letter and looks back only after it (``рб`` not after a letter is
# ``рб(?<!Xрб)``): the pattern is then looked for where that letter is, not tried at every
# character of the text.
_NO_FUNDING = re.compile(r"каржылоо\s+керек")
_REPUBLICAN = re.compile(rf"р(?:б(?<!{_LOWER}рб)(?!{_LOWER})|еспублика)")
_NATIONAL_FUND = re.compile(r"национальн\w* фонд|ұқ(?<!\wұқ)\b")
_OBLAST = re.compile(rf"об(?:лыст|луст|ластн|(?<!{_LOWER}об)(?!{_LOWER}))")
_LOCAL = re.compile(rf"[жм]б(?<!{_LOWER}[жм]б)(?!{_LOWER})")
_OKB = re.compile(rf"өкб(?<!{_LOWER}өкб)(?!{_LOWER})")


def funding_codes(text: str | None) -> list[str]:
    """The canonical funding codes a printed source names, in a fixed order; [] when none."""
    if not text:
        return []
    f = fold(text)
    # Plain words are looked for as substrings, the rest with the patterns above.
    codes = []
    if "талап етілмейді" in f or "не требует" in f or _NO_FUNDING.search(f):
        codes.append("none")
    if _REPUBLICAN.search(f):
        codes.append("republican")
    if "ұлттық қор" in f or "улуттук фонд" in f or _NATIONAL_FUND.search(f):
        codes.append("national_fund")
    if _OBLAST.search(f):
        codes.append("oblast")
    if "жергілікті" in f or "жергиликтүү" in f or "местн" in f or _LOCAL.search(f):
        codes.append("local")
    if "инвест" in f:
        codes.append("investor")
    if "демөөрчү" in f or "демеуші" in f or "спонсор" in f:
        codes.append("sponsor")
    if "грант" in f:
        codes.append("grant")
    if "кредит" in f or "несие" in f:
        codes.append("credit")
    if "жеке қаражат" in f or "жеке каражат" in f or "собственн" in f or "частн" in f:
        codes.append("private")
    if _OKB.search(f):
        codes.append("okb")
    return codes


def funding_name(code: str, language: str) -> str:
    """The name of a funding code in a language (kk, ky or ru); the code itself when unknown."""
    return FUNDING_NAMES.get(code, {}).get(language, code)


# -- responsible bodies ------------------------------------------------------------------------

# code -> names by language (kk, ky, ru)
BODY_NAMES: dict[str, dict[str, str]] = {
    "akimat": {"kk": "қала әкімдігі", "ky": "шаардык мэрия", "ru": "акимат (мэрия) города"},
    "oblast_akimat": {
        "kk": "облыс әкімдігі",
        "ky": "облустук мамлекеттик администрация",
        "ru": "акимат области",
    },
    "education": {"kk": "білім бөлімі", "ky": "билим берүү бөлүмү", "ru": "отдел образования"},
    "health": {"kk": "денсаулық сақтау", "ky": "саламаттык сактоо", "ru": "здравоохранение"},
    "economy": {"kk": "экономика бөлімі", "ky": "экономика бөлүмү", "ru": "отдел экономики"},
    "finance": {"kk": "қаржы бөлімі", "ky": "каржы бөлүмү", "ru": "отдел финансов"},
    "architecture": {
        "kk": "сәулет, қала құрылысы және құрылыс",
        "ky": "архитектура жана курулуш",
        "ru": "архитектура, градостроительство и строительство",
    },
    "housing": {
        "kk": "тұрғын үй-коммуналдық шаруашылық",
        "ky": "турак жай-коммуналдык чарба",
        "ru": "жилищно-коммунальное хозяйство",
    },
    "social": {
        "kk": "жұмыспен қамту және әлеуметтік бағдарламалар",
        "ky": "эмгек жана социалдык камсыздоо",
        "ru": "занятость и социальная защита",
    },
    "culture": {"kk": "мәдениет", "ky": "маданият", "ru": "культура"},
    "sport": {"kk": "дене шынықтыру және спорт", "ky": "дене тарбия жана спорт", "ru": "спорт"},
    "emergencies": {
        "kk": "төтенше жағдайлар",
        "ky": "өзгөчө кырдаалдар",
        "ru": "чрезвычайные ситуации",
    },
    "police": {"kk": "ішкі істер (полиция)", "ky": "ички иштер (милиция)", "ru": "внутренние дела"},
    "land": {
        "kk": "жер қатынастары",
        "ky": "жер ресурстары жана кадастр",
        "ru": "земельные отношения",
    },
    "agriculture": {"kk": "ауыл шаруашылығы", "ky": "айыл чарба", "ru": "сельское хозяйство"},
    "transport": {
        "kk": "жолаушылар көлігі және автомобиль жолдары",
        "ky": "транспорт жана жолдор",
        "ru": "транспорт и автодороги",
    },
    "environment": {
        "kk": "табиғи ресурстар және қоршаған орта",
        "ky": "айлана-чөйрөнү коргоо",
        "ru": "природные ресурсы и экология",
    },
    "youth": {"kk": "жастар саясаты", "ky": "жаштар саясаты", "ru": "молодёжная политика"},
    "internal_policy": {"kk": "ішкі саясат", "ky": "ички саясат", "ru": "внутренняя политика"},
    "entrepreneurship": {
        "kk": "кәсіпкерлік және өнеркәсіп",
        "ky": "ишкердик жана өнөр жай",
        "ru": "предпринимательство и промышленность",
    },
    "municipal_property": {
        "kk": "коммуналдық меншік",
        "ky": "муниципалдык менчик",
        "ru": "муниципальная собственность",
    },
    "statistics": {"kk": "статистика", "ky": "статистика", "ru": "статистика"},
}

_L = "а-яёәғқңөұүһіa-z"  # lower-case letters of the three languages, for word edges

# Functions of a department, over case-folded text. When a body names several, the first
# named wins ("экономика және бюджеттік жоспарлау бөлімі" is economy).
_BODY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(pattern))
    for code, pattern in (
        ("education", r"білім|билим|образован|мектеп|школ|балабақша|бала[ -]бакча|лицей|гимнази"),
        (
            "health",
            r"денсаулық|саламаттык|здравоохр|аурухана|оорукана|больниц|емхана|поликлиник|"
            r"медицин|дарыгер|мсэк",
        ),
        ("economy", r"экономик"),
        ("finance", r"қаржы|(?<![а-яё])каржы(?!лоо)|финанс|салық|салык|казначейств"),
        ("architecture", r"сәулет|архитектур|құрылыс|курулуш|строител|градостро"),
        (
            "housing",
            r"тұрғын[ -](?:үй|жай)|турак[ -]жай|коммунал|суу[ -]чарба|су шаруашыл|водокана|"
            r"суу канал|жылуулук|жылумен|жылу[ -]|тепло|энергетик|көркейт|көрктөндүр|благоустр",
        ),
        (
            "social",
            r"әлеуметтік (?:қорға|бағдарлам)|жұмыспен қамт|социалдык (?:камсыздоо|коргоо)|"
            r"(?<![а-яё])эмгек|социальн\w* защит|занятост",
        ),
        ("culture", r"мәдениет|маданият|культур|тілдерді|музей|кітапхана|китепкана|театр"),
        ("sport", r"спорт|дене шынықтыр|дене тарбия|физическ"),
        ("emergencies", r"төтенше|өзгөчө кырдаал|чрезвычайн|құтқару|куткаруу"),
        (
            "police",
            r"ішкі істер|ички иштер|полиц|милиц|внутренних дел|жашы жете электердин иштер|"
            r"кәмелетке толмағандар|несовершеннолетн",
        ),
        ("land", r"жер қатынас|жер катнаш|жер ресурс|кадастр|земельн|жерге жайгаштыр"),
        ("agriculture", r"ауыл ?шаруашыл|айыл чарба|сельск|ветеринар|агро"),
        (
            "transport",
            r"жолаушы|автомобиль жол|көлік|транспорт|дорож|жол[ -]тейлөө|жолдорду|жол қозғалыс",
        ),
        ("environment", r"экологи|табиғи ресурс|табиғат|айлана[ -]чөйрө|қоршаған орта|природ"),
        ("youth", r"жастар|жаштар|молод"),
        ("internal_policy", r"ішкі саясат|ички саясат|внутренн\w* политик"),
        (
            "entrepreneurship",
            r"кәсіпкерлік|ишкердик|предпринимательств|өнеркәсіп|өнөр жай|индустри",
        ),
        (
            "municipal_property",
            r"муниципалд\w* менчик|коммуналдық меншік|мүлік|мүлк|муниципальн\w* собствен|"
            r"имуществ",
        ),
        ("statistics", r"статисти"),
    )
)
# The city's own administration, and the region's: only when no department is named.
_ADMINISTRATION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("oblast_akimat", re.compile(r"облыс(?:тық)? әкім|облус|облыс әкімдіг|обладминистрац")),
    (
        "akimat",
        re.compile(
            r"әкімдік|әкімдіг|әкімшіл|әкім|аким|мэрия|мэри(?![а-яё])|мэр(?![а-яё])|мэрин|"
            r"аткаруу комитет|аппарат|аймактык башкармалык|айыл өкмөт"
        ),
    ),
)
# Each list as one pattern: its leftmost match is the function named first.
_BODY_FUNCTION = re.compile("|".join(f"(?P<{c}>{p.pattern})" for c, p in _BODY_PATTERNS))
_ADMINISTRATION = re.compile("|".join(f"(?P<{c}>{p.pattern})" for c, p in _ADMINISTRATION_PATTERNS))
# Department abbreviations as the documents print them (without a list of abbreviations).
_BODY_ABBREVIATIONS: dict[str, str] = {
    "бб": "education",  # білім бөлімі/басқармасы
    "шббб": "education",  # шаардык билим берүү бөлүмү
    "дсб": "health",  # денсаулық сақтау басқармасы
    "ждпб": "health",  # жалпы дарыгерлик практика борбору
    "эб": "economy",  # экономика бөлімі/басқармасы
    "қсжқб": "architecture",  # құрылыс, сәулет және қала құрылысы бөлімі
    "укс": "architecture",  # управление капитального строительства
    "ткшб": "housing",  # тұрғын үй-коммуналдық шаруашылық бөлімі
    "жкх": "housing",  # жилищно-коммунальное хозяйство
    "мжку": "housing",  # муниципалдык турак-жай коммуналдык башкармасы
    "жқәб": "social",  # жұмыспен қамту және әлеуметтік бағдарламалар бөлімі
    "жрэскжмб": "social",  # райондук эмгек, социалдык камсыздоо жана миграция башкармалыгы
    "жқүжәбб": "social",  # жұмыспен қамтуды үйлестіру және әлеуметтік бағдарламалар басқармасы
    "мжтдб": "culture",  # мәдениет және тілдерді дамыту бөлімі
    "дшсб": "sport",  # дене шынықтыру және спорт бөлімі
    "өкб": "emergencies",  # өзгөчө кырдаалдар бөлүмү
    "шиииб": "police",  # шаардык ички иштер бөлүмү
    "шииб": "police",
    "иииб": "police",
    "ииб": "police",
    "овд": "police",
    "рииб": "police",  # райондук ички иштер бөлүмү
    "рббб": "education",  # райондук билим берүү бөлүмү
    "ссм": "health",  # саламаттык сактоо министрлиги
    "тжд": "emergencies",  # төтенше жағдайлар департаменті
    "дэу": "transport",  # дорожно-эксплуатационное управление
    "жкжажб": "transport",  # жолаушылар көлігі және автомобиль жолдары бөлімі
    "жти": "transport",  # жол тейлөө ишканасы
    "жтм": "transport",  # жол тейлөө мекемеси
    "тржтпрб": "environment",  # табиғи ресурстар және табиғат пайдалануды реттеу басқармасы
    "кжашб": "entrepreneurship",  # кәсіпкерлік және ауыл шаруашылығы бөлімі
}
_ABBREVIATION = re.compile(
    r"(?<![А-ЯЁӘҒҚҢӨҰҮҺІA-Zа-яёәғқңөұүһіa-z])"
    r"([А-ЯЁӘҒҚҢӨҰҮҺІA-Z](?:[А-ЯЁӘҒҚҢӨҰҮҺІA-Z]|ж(?=[А-ЯЁӘҒҚҢӨҰҮҺІ]))*[А-ЯЁӘҒҚҢӨҰҮҺІA-Z])"
    r"(?![А-ЯЁӘҒҚҢӨҰҮҺІA-Z])"
)
# Last words that close the name of a body; a piece without one goes on in the next piece
# ("шаардык эмгек, социалдык камсыздоо … башкармалыгы" is one body).
_HEAD = re.compile(
    rf"(?:бөлім|басқарма|башкарма|департамент|мэрия|мэри|әкімдіг|әкімдік|әкімі|ишкана|мекеме|"
    rf"кәсіпорн|кәсіпорын|ұйым|уюм|жчк|жшс|тоо|осоо|фонд|комитет|инспекци|борбор|орталығ|"
    rf"центр|управлени|отдел|служб|кызмат|қызмет|кеңес|кеңеш|министрлиг|министерств|"
    rf"агенттиг|агенттіг|мектеб|мектеп|аурухана|оорукана|орынбасар|башчы|төрага|директор|"
    rf"администрац|аппарат|палата|корпорац|банк|кадастр|заводу?|ишканасы)[{_L}]*\W*$"
)
_PARENTHESES = re.compile(
    r"\([^()]*(?:келісім|макулдашуу|согласован|бойынша|боюнча)[^()]*\)\)?", re.IGNORECASE
)
_TOGETHER = re.compile(
    r"\s+(?:менен (?:бирг[еи]ликте|бирге|биргелешкен|кызматташтыкта)|бірлесіп|совместно)\b.*$"
)
_PERSON = re.compile(
    r"(?:\s*[-–—:]\s*|\s+)[А-ЯЁӘҒҚҢӨҰҮҺІ]\.\s*(?:[А-ЯЁӘҒҚҢӨҰҮҺІ]\.\s*)?"
    r"[А-ЯЁӘҒҚҢӨҰҮҺІ][а-яёәғқңөұүһі-]+\s*$"
)
_SLUG_LIMIT = 60


def _abbreviation_tokens(text: str) -> list[re.Match[str]]:
    return [m for m in _ABBREVIATION.finditer(text) if len(m.group(1)) >= 2]


def split_bodies(text: str | None) -> list[str]:
    """The bodies named in one responsible cell, as printed (parentheses and persons dropped)."""
    if not text:
        return []
    text = _PARENTHESES.sub(" ", text)
    pieces: list[str] = []
    for raw in re.split(r"[,;\n]|\s/\s", text):
        piece = clean(_TOGETHER.sub("", clean(raw)))
        piece = clean(_PERSON.sub("", piece)).strip(" .:-–—")
        if len(piece) < 2:
            continue
        tokens = _abbreviation_tokens(piece)
        if tokens and "".join(m.group(1) for m in tokens) == piece.replace(" ", ""):
            pieces.extend(m.group(1) for m in tokens)  # "ШБББ ШИИБ": two bodies
            continue
        if (
            pieces
            and not _HEAD.search(fold(pieces[-1]))
            and not _abbreviation_tokens(pieces[-1])
            and re.match(rf"^[{_L}]", piece)
        ):
            pieces[-1] = f"{pieces[-1]}, {piece}"
            continue
        pieces.append(piece)
    return pieces


_UPPER = "А-ЯЁӘҒҚҢӨҰҮҺІA-Z"
# "МС жана ММ башкармалыгы" is the plan's "МСжММБ", "ЖРЭСК жана МБ" its "ЖРЭСКжМБ".
_JOINED_ABBREVIATIONS = re.compile(
    rf"(?<![\w])([{_UPPER}]{{2,}}) (?:жана|және) ([{_UPPER}]+)(?![\w])"
)
_DEPARTMENT_WORD = re.compile(r"^\s*(?:башкарма|бөлүм|басқарма|бөлім)", re.IGNORECASE)
# Legal forms and quotes do not tell one body from another: «Универсал» МИ is МП «Универсал».
_LEGAL_FORM = re.compile(
    rf"(?<![\w])(?:МП|МИ|КИ|ЖЧК|ЖШС|ТОО|ОсОО|ЖК|ОО|КФ|ИП|АО|АҚ|ААК|ЖАҚ)[{_L}]*(?![\w])"
)


def _folded_keys(abbreviations: Mapping[str, str] | None) -> dict[str, str]:
    return {fold(key): value for key, value in (abbreviations or {}).items()}


def _explained(
    name: str, folded_own: Mapping[str, str]
) -> tuple[list[str], list[tuple[int, str]], str | None]:
    """Meanings the plan gives the abbreviations in ``name`` (``folded_own``: the plan's list
    with case-folded keys), the usual department abbreviations found in it (position, code),
    and the meaning of ``name`` when it is one abbreviation of the plan."""
    normalized = _JOINED_ABBREVIATIONS.sub(r"\1ж\2", name)
    meanings: list[str] = []
    builtin: list[tuple[int, str]] = []
    whole: str | None = None
    for match in _abbreviation_tokens(normalized):
        token = match.group(1)
        candidates = [token]
        if _DEPARTMENT_WORD.match(normalized[match.end() :]):
            candidates.insert(0, f"{token}Б")
        meaning = next((folded_own[fold(c)] for c in candidates if fold(c) in folded_own), None)
        if meaning:
            meanings.append(meaning)
            if fold(normalized.strip()) == fold(token):
                whole = meaning
            continue
        code = next(
            (_BODY_ABBREVIATIONS[fold(c)] for c in candidates if fold(c) in _BODY_ABBREVIATIONS),
            None,
        )
        if code:
            builtin.append((match.start(), code))
    return meanings, builtin, whole


def body_code(name: str, abbreviations: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The functional code of one body and its full name (an abbreviation explained).

    ``abbreviations`` is the plan's own list (abbreviation → meaning), which wins over the usual
    department abbreviations. A body that names no known function gets ``slug`` of its name
    (without its legal form).
    """
    return _body_code(name, _folded_keys(abbreviations))


def _body_code(name: str, folded_own: Mapping[str, str]) -> tuple[str, str]:
    meanings, builtin, whole = _explained(name, folded_own)
    full = whole or name
    text = fold(" ".join([name, *meanings]))
    found = list(builtin)
    if (function := _BODY_FUNCTION.search(text)) and function.lastgroup:
        found.append((function.start(), function.lastgroup))
    if not found and (office := _ADMINISTRATION.search(text)) and office.lastgroup:
        found.append((office.start(), office.lastgroup))
    if found:
        return min(found)[1], full
    code = slug(_LEGAL_FORM.sub(" ", full))[:_SLUG_LIMIT].strip("-")
    return code or slug(full)[:_SLUG_LIMIT].strip("-"), full


def body_codes(
    text: str | None, abbreviations: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """(code, printed name) of every body a responsible cell names, in order, without repeats."""
    return _body_codes(text, _folded_keys(abbreviations))


def _body_codes(text: str | None, folded_own: Mapping[str, str]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for piece in split_bodies(text):
        code, name = _body_code(piece, folded_own)
        if code and code not in seen:
            seen[code] = name
    return list(seen.items())


# -- the dataset-level pass --------------------------------------------------------------------


BodyCodes = dict[tuple[str, str], list[tuple[str, str]]]


def _column(table: str, name: str) -> int:
    return SCHEMAS[table].names().index(name)


def document_body_codes(rows: Mapping[str, Sequence[tuple[object, ...]]]) -> BodyCodes:
    """The body codes of every responsible cell of one document's rows (a table's rows in its
    schema's column order, as :class:`~workbench.ingest.document.ParsedDocument` keeps them),
    read with its own abbreviations: what :func:`link_vocabulary` would work out for it, worked
    out ahead (by the process that parsed the document, while others parse theirs) and without
    building its frames."""
    own: dict[str, dict[str, str]] = {}
    plan, abbreviation, meaning = (
        _column("abbreviations", name) for name in ("plan_id", "abbreviation", "meaning")
    )
    for row in rows.get("abbreviations", ()):
        own.setdefault(str(row[plan]), {})[str(row[abbreviation])] = str(row[meaning])
    folded = {plan_id: _folded_keys(meanings) for plan_id, meanings in own.items()}
    out: BodyCodes = {}
    for table in ("activities", "indicators", "plans"):
        plan, responsible = _column(table, "plan_id"), _column(table, "responsible")
        for row in rows.get(table, ()):
            text = row[responsible]
            if text:
                key = (str(row[plan]), str(text))
                if key not in out:
                    out[key] = _body_codes(key[1], folded.get(key[0], {}))
    return out


def link_vocabulary(
    tables: Mapping[str, pl.DataFrame], known: BodyCodes | None = None
) -> dict[str, pl.DataFrame]:
    """Rebuild ``vocabulary`` and ``assignments`` from the other tables of a dataset.

    Funding codes come from ``activities.funding_sources`` and ``funding.source``; body codes
    from ``activities.responsible``, ``indicators.responsible`` and ``plans.responsible`` (a
    plan's body is also assigned to each of its ``grant`` nodes: a grant list's department gives
    every grant). Names are in each plan's language; the plan's list of abbreviations explains
    abbreviated bodies and codes. The output does not depend on the order of the input rows.
    ``known`` holds body codes already worked out (:func:`document_body_codes`).
    """
    out = dict(tables)
    plans = tables["plans"]
    language = {
        row["plan_id"]: str(row["language"])
        for row in plans.select("plan_id", pl.col("language").cast(pl.String)).iter_rows(named=True)
    }
    abbreviations: dict[str, dict[str, str]] = {}
    if "abbreviations" in tables:
        for plan_id, abbreviation, meaning in (
            tables["abbreviations"].select("plan_id", "abbreviation", "meaning").iter_rows()
        ):
            abbreviations.setdefault(plan_id, {})[abbreviation] = meaning

    folded = {plan_id: _folded_keys(meanings) for plan_id, meanings in abbreviations.items()}
    assignments: set[tuple[str, str, str, str]] = set()
    body_names: dict[tuple[str, str], Counter[str]] = {}
    funding_used: set[tuple[str, str, str]] = set()  # (code, language, plan_id)
    cache: BodyCodes = dict(known or {})
    counted: set[tuple[str, str]] = set()

    def bodies(plan_id: str, text: str | None) -> list[tuple[str, str]]:
        if not text or plan_id not in language:
            return []
        key = (plan_id, text)
        codes = cache.get(key)
        if codes is None:
            codes = cache[key] = _body_codes(text, folded.get(plan_id, {}))
        if key not in counted:
            counted.add(key)
            for code, name in codes:
                body_names.setdefault((code, language[plan_id]), Counter())[name] += 1
        return codes

    for table in ("activities", "indicators"):
        frame = tables.get(table)
        if frame is None:
            continue
        for plan_id, node_id, responsible in frame.select(
            "plan_id", "node_id", "responsible"
        ).iter_rows():
            for code, _ in bodies(plan_id, responsible):
                assignments.add((plan_id, node_id, "body", code))

    grant_nodes: dict[str, list[str]] = {}
    nodes = tables.get("nodes")
    if nodes is not None:
        for plan_id, node_id in (
            nodes.filter(pl.col("kind").cast(pl.String) == "grant")
            .select("plan_id", "node_id")
            .iter_rows()
        ):
            grant_nodes.setdefault(plan_id, []).append(node_id)
    for plan_id, responsible in plans.select("plan_id", "responsible").iter_rows():
        for code, _ in bodies(plan_id, responsible):
            for node_id in grant_nodes.get(plan_id, []):
                assignments.add((plan_id, node_id, "body", code))

    activities = tables.get("activities")
    if activities is not None:
        for plan_id, node_id, codes in activities.select(
            "plan_id", "node_id", "funding_sources"
        ).iter_rows():
            for code in codes or []:
                if plan_id in language:
                    assignments.add((plan_id, node_id, "funding", code))
                    funding_used.add((code, language[plan_id], plan_id))
    funding = tables.get("funding")
    if funding is not None:
        for plan_id, node_id, code in funding.select("plan_id", "node_id", "source").iter_rows():
            if code is None or plan_id not in language:
                continue
            funding_used.add((code, language[plan_id], plan_id))
            if node_id is not None:
                assignments.add((plan_id, node_id, "funding", code))

    vocabulary: dict[tuple[str, str, str], str] = {}
    for (code, lang), names in body_names.items():
        if code in BODY_NAMES:
            name = BODY_NAMES[code][lang]
        else:
            name = min(names.items(), key=lambda item: (-item[1], item[0]))[0]
        vocabulary[("body", code, lang)] = name
    for code, lang, plan_id in sorted(funding_used):
        key = ("funding", code, lang)
        name = _funding_display_name(code, lang, abbreviations.get(plan_id, {}))
        if key not in vocabulary or (vocabulary[key] == code and name != code):
            vocabulary[key] = name

    out["vocabulary"] = frame_from_rows(
        "vocabulary",
        [
            {"kind": kind, "code": code, "language": lang, "name": name}
            for (kind, code, lang), name in sorted(vocabulary.items())
        ],
    )
    out["assignments"] = frame_from_rows(
        "assignments",
        [
            {"plan_id": plan_id, "node_id": node_id, "kind": kind, "code": code}
            for plan_id, node_id, kind, code in sorted(assignments)
        ],
    )
    return out


def _funding_display_name(code: str, language: str, abbreviations: Mapping[str, str]) -> str:
    if code in FUNDING_NAMES:
        return funding_name(code, language)
    for abbreviation, meaning in sorted(abbreviations.items()):
        if slug(abbreviation) == code:
            return f"{abbreviation} ({meaning})"
    return code
