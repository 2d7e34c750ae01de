"""The words clustering reads: event kinds, weekdays, ordinals and small number words in four languages.

Written from general knowledge of how Arabic, Turkish, Russian and English news name incidents in a war
zone, not from any corpus. Entries are stems: a text word matches when it begins with the stem (Arabic
words after their proclitics و ف ب ل ك ال are stripped); a stem ending in "=" matches only a word that
is the stem once inflectional endings are stripped ("kaza=" is an accident, "kazandı" is not), in any
word of an entry ("hava= saldırı" is an air strike, "havan saldırısı" a mortar attack). A stem of
several words matches those words in a row. At each place in a text the longest matching entry wins,
so "air strike" is an air strike and not a strike of another kind; an entry of the kind "" matches and
means nothing (it stops a shorter stem from misreading a word, such as "bombed", said of both jets and
car bombs).

Event kinds are deliberately coarse: two reports of one event may word it differently ("rocket fire",
"shelling"), so kinds that are often confused by journalists share one kind (shelling covers artillery,
rockets and mortars).
"""

from __future__ import annotations

from types import MappingProxyType

_EVENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "airstrike": {
        "en": ("airstrike", "air strike", "air raid", "warplane", "war plane", "jets", "aerial", "air attack"),
        "tr": ("hava= saldırı", "hava= harekat", "hava= bombardıman", "savaş uçak"),
        "ru": ("авиаудар", "авианалет", "налет", "вкс", "авиаци", "бомбардировк", "разбомб", "самолет"),
        "ar": ("غاره", "غارات", "طيران حربي", "طيران روسي", "طائره حربيه", "طائرات حربيه", "قصف جوي"),
    },
    "drone": {
        "en": ("drone", "uav", "unmanned"),
        "tr": ("siha", "iha=", "dron", "insansız"),
        "ru": ("беспилот", "дрон", "бпла"),
        "ar": ("طائره مسير", "طائرات مسير", "طيران مسير", "مسيرات", "درون"),
    },
    "shelling": {
        "en": ("shell", "artillery", "mortar", "rocket", "bombard", "howitzer", "missile", "rocket fire",
               "artillery fire", "mortar fire"),
        "tr": ("topçu", "top atış", "top mermi", "obüs", "roket", "havan", "bombardıman", "füze"),
        "ru": ("обстрел", "артиллер", "миномет", "ракет", "снаряд", "гаубиц"),
        "ar": ("قصف", "قذائف", "قذيفه", "مدفعي", "صاروخ", "صواريخ", "هاون", "راجمات"),
    },
    "bombing": {
        "en": ("bomb=", "bombs=", "car bomb", "bomb attack", "explosive", "ied=",
                "blast", "explosion", "exploded", "landmine", "suicide", "detonat", "blew up", "blown up", "blows up"),
        "tr": ("bomba=", "patla", "el yapımı", "mayın", "eyp=", "bombalı"),
        "ru": ("подрыв", "подорв", "взрыв", "взорв", "сву", "фугас", "самодельн", "смертник", "заминир"),
        "ar": ("عبوه", "ناسفه", "انفجار", "تفجير", "مفخخ", "لغم", "الغام", "انتحاري"),
    },
    "patrol": {
        "en": ("patrol",),
        "tr": ("devriye",),
        "ru": ("патрул",),
        "ar": ("دوريه", "دوريات"),
    },
    "convoy": {
        "en": ("convoy", "reinforcement", "military vehicles", "armoured vehicles", "armored vehicles"),
        "tr": ("konvoy", "sevkiyat", "takviye", "askeri araç", "zırhlı araç"),
        "ru": ("колонн", "подкреплен", "переброс", "бронетехник"),
        "ar": ("رتل", "ارتال", "تعزيزات", "اليات عسكريه"),
    },
    "aid": {
        "en": ("aid=", "aids=", "aided", "humanitarian", "relief", "wfp", "world food programme", "unicef",
               "unhcr", "ocha", "food basket"),
        "tr": ("yardım", "insani", "dünya gıda program", "unicef", "bmmyk"),
        "ru": ("гуманитар", "помощ", "всемирн продовольствен программ", "впп", "юнисеф"),
        "ar": ("مساعدات", "مساعده", "اغاث", "انساني", "قافله", "برنامج الاغذيه", "يونيسف", "مفوضيه"),
    },
    "traffic": {
        "en": ("reopen", "traffic", "road closure", "closed the road"),
        "tr": ("trafi", "ulaşım", "yol kapat", "yolu kapat"),
        "ru": ("движение транспорт", "автомобильное движение", "возобнов", "перекрыл", "перекрыт"),
        "ar": ("اعاده فتح", "فتح طريق", "حركه مرور", "حركه سير", "يعود خدمه", "عاد خدمه", "اغلاق طريق"),
    },
    "accident": {
        "en": ("accident", "crash", "collision", "collided", "overturned", "traffic accident", "road accident"),
        "tr": ("kaza=", "çarpış", "devril"),
        "ru": ("дтп", "авари"),
        "ar": ("حادث سير", "حادث مروري", "حوادث سير", "حوادث مروريه", "تصادم", "اصطدام", "انقلاب شاحنه",
               "انقلاب سياره", "انقلاب حافله", "دهس"),
    },
    "protest": {
        "en": ("protest", "rally", "rallies", "demonstrat", "sit in", "marched"),
        "tr": ("protesto", "gösteri", "eylem", "miting", "yürüyüş"),
        "ru": ("протест", "митинг", "демонстрац", "пикет", "акция протеста"),
        "ar": ("مظاهره", "مظاهرات", "تظاهر", "اعتصام", "معتصم", "محتج", "احتجاج", "وقفه احتجاجيه"),
    },
    "fighting": {
        "en": ("clash", "fighting", "infiltrat", "offensive", "repel", "repulse", "battle", "opened fire",
               "open fire", "gunfire", "stormed", "storming"),
        "tr": ("çatışma", "sızma", "püskürt", "taarruz", "ilerleme girişim"),
        "ru": ("бои=", "боестолкнов", "столкновени", "наступлен", "отбил", "отрази", "прорыв"),
        "ar": ("اشتباك", "تسلل", "محاوله تقدم", "تصدي", "تصدت", "تتصدي", "يتصدي", "معارك", "معركه"),
    },
    "talks": {
        "en": ("talks", "meeting", "delegation", "consultation", "discuss", "negotiat", "summit"),
        "tr": ("görüşme", "görüştü", "heyet", "toplantı", "müzakere", "zirve"),
        "ru": ("переговор", "консультаци", "встреч", "делегаци", "саммит"),
        "ar": ("مباحثات", "محادثات", "اجتماع", "وفد", "مفاوضات", "قمه"),
    },
    "visit": {
        "en": ("visit", "inspect", "toured"),
        "tr": ("ziyaret", "denetle", "teftiş", "inceleme"),
        "ru": ("визит", "посетил", "проинспектир", "побывал"),
        "ar": ("زياره", "تفقد", "يتفقد", "جوله"),
    },
    "health": {
        "en": ("coronavirus", "covid", "cholera", "measles", "pandemic", "laborator", "lab=", "labs=", "test kit",
               "vaccin", "epidemic"),
        "tr": ("koronavirüs", "korona", "kovid", "covid", "kolera", "kızamık", "salgın", "laboratuvar", "test kit",
               "aşı=", "aşıla"),
        "ru": ("коронавирус", "covid", "ковид", "холер", "корь", "кори=", "пандеми", "лаборатор", "тест", "вакцин",
               "эпидеми"),
        "ar": ("كورونا", "كوفيد", "كوليرا", "حصبه", "مختبر", "فحص", "اختبار", "لقاح", "وباء", "جائحه"),
    },
    "displacement": {
        "en": ("displace", "refugee", "idp", "returnee"),
        "tr": ("göç", "yerinden edil", "mülteci", "evine dön", "evlerine dön"),
        "ru": ("беженц", "переселен", "вынужденн"),
        "ar": ("نازح", "نزوح", "مهجر", "تهجير"),
    },
    "fire": {
        "en": ("fire", "blaze", "burned", "burnt"),
        "tr": ("yangın", "alev"),
        "ru": ("пожар", "возгоран", "сгорел", "загорел", "горит=", "горят="),
        "ar": ("حريق", "حرائق", "اشتعال", "احتراق"),
    },
    "weather": {
        "en": ("flood", "storm", "heavy rain", "snow", "torrent"),
        "tr": ("sel=", "seller", "selin", "fırtına", "yağış", "yağmur", "kar yağ", "su bask"),
        "ru": ("наводнен", "паводк", "ливн", "ливен", "шторм", "снегопад", "затоп"),
        "ar": ("فيضان", "سيول", "عاصفه", "امطار", "الامطار", "غرق", "ثلوج"),
    },
    "earthquake": {
        "en": ("earthquake", "quake", "tremor", "aftershock"),
        "tr": ("deprem", "sarsıntı", "artçı"),
        "ru": ("землетрясен", "подземн толч", "толчк", "афтершок"),
        "ar": ("زلزال", "هزه ارضيه", "هزات ارضيه", "هزه ارتداديه"),
    },
    "economy": {
        "en": ("price", "bread", "electricity", "power line", "fuel", "currency"),
        "tr": ("ekmek", "elektrik", "fiyat", "akaryakıt", "döviz"),
        "ru": ("хлеб", "электр", "цен", "топлив", "валют"),
        "ar": ("خبز", "ربطه", "كهرباء", "اسعار", "محروقات", "عمله"),
    },
    "arrest": {
        "en": ("arrest", "detain"),
        "tr": ("gözaltı", "tutukla", "yakala"),
        "ru": ("задержа", "арест"),
        "ar": ("اعتقال", "اعتقل", "قبض", "مداهمه"),
    },
    "": {  # words that would otherwise be misread by a shorter stem
        "en": ("bombed", "bombing", "price of peace", "fired", "ceasefire", "under fire"),
        "tr": ("eylül", "bombala"),  # "bombaladı", bombed: said of jets and of artillery alike
        "ru": ("центр", "ценност", "электорат"),
        "ar": ("قبضه",),
    },
}

_ACTORS: dict[str, dict[str, tuple[str, ...]]] = {
    "russia": {"en": ("russia", "moscow", "kremlin"), "tr": ("rus=", "rusya", "moskova", "kremlin"),
               "ru": ("росси", "москв", "кремл", "вкс", "минобороны рф"), "ar": ("روسي", "روسيا", "موسكو", "الكرملين")},
    "turkey": {"en": ("turkish", "turkey", "türkiye", "ankara"),
               "tr": ("türk", "ankara", "msb=", "milli savunma", "mehmetçik"),
               "ru": ("турц", "турецк", "анкар"), "ar": ("تركي", "تركيا", "انقره")},
    "regime": {"en": ("regime", "assad", "syrian army", "government forces", "pro government", "damascus"),
               "tr": ("rejim", "esad", "esed", "şam=", "suriye ordusu"),
               "ru": ("сирийск арми", "правительствен", "дамаск", "сирийск военн"),
               "ar": ("النظام", "الاسد", "الجيش السوري", "الجيش العربي السوري", "قوات الحكومه", "دمشق")},
    "opposition": {"en": ("rebel", "opposition", "hts=", "hayat tahrir", "jihadist", "militant", "faction"),
                   "tr": ("muhalif", "hts=", "heyet tahrir", "ulusal ordu", "sma="),
                   "ru": ("боевик", "оппозици", "террорист", "хтш", "хайат тахрир", "джихадист"),
                   "ar": ("الفصائل", "فصائل", "المعارضه", "هيئه تحرير الشام", "تحرير الشام", "الارهابي", "ارهابيه",
                          "الجيش الوطني")},
    "kurdish": {"en": ("sdf=", "ypg=", "pkk=", "kurdish"), "tr": ("ypg=", "pkk=", "sdg=", "terör örgüt"),
                "ru": ("сдс=", "курд"), "ar": ("قسد", "الوحدات الكرديه", "الكردي", "الكرديه")},
    "un": {"en": ("united nations", "un=", "u n"), "tr": ("bm=", "birleşmiş milletler"),
           "ru": ("оон=",), "ar": ("الامم المتحده", "اممي", "امميه")},
    "us": {"en": ("american", "u s", "us led", "coalition", "pentagon"), "tr": ("abd=", "koalisyon", "amerika"),
           "ru": ("сша=", "американ", "коалиц", "пентагон"),
           "ar": ("الامريكي", "الامريكيه", "التحالف الدولي", "واشنطن")},
}
"""Parties to events; sharing one is a weak tie (see bot/core/stories/affinity.py)."""

REPEAT = "repeat"
_FOLLOW_UPS: dict[str, dict[str, tuple[str, ...]]] = {
    "toll": {"en": ("toll rises", "toll rose", "toll climbs", "toll climbed", "rises to", "rose to", "risen to",
                    "climbed to", "died of wounds", "died of his wounds", "died of her wounds", "succumbed"),
             "tr": ("yükseldi", "kurtarılamadı"),
             "ru": ("возросл", "выросл", "увеличилось", "скончал"),
             "ar": ("ارتفاع حصيله", "ارتفعت حصيله", "ارتفع عدد", "ارتفاع عدد", "ارتفعت", "متاثرا بجراح",
                    "متاثره بجراح", "متاثرين بجراح")},
    "denial": {"en": ("denied", "denies", "denial"), "tr": ("yalanla",), "ru": ("опроверг", "опровержен"),
               "ar": ("نفت=", "نفي=", "تنفي=", "ينفي=")},
    REPEAT: {"en": ("day= after=", "days= after="), "tr": ("gün= sonra=",), "ru": ("спустя= сутки=",
             "на= следующий= день=", "через= день="), "ar": ("بعد= يوم=", "بعد= يومين=", "غداه=")},
}
"""Words that say a report follows up an earlier one (a toll that rose, a wounded man who died, a denial):
such a report is of an event already reported, not a new one (see bot/core/stories/affinity.py); and
`REPEAT`, words that date the incident a day after another ("a day after", "bir gün sonra", "спустя сутки",
"بعد يوم من"): such a report is a new incident, not the story begun the day before ("again", "yine",
"снова", "مجددا" are not among them: they are said as often of a late report of the same event)."""

_WEEKDAYS: dict[str, dict[str, tuple[str, ...]]] = {
    "mon": {"en": ("monday",), "tr": ("pazartesi",), "ru": ("понедельник",), "ar": ("الاثنين",)},
    "tue": {"en": ("tuesday",), "tr": ("salı",), "ru": ("вторник",), "ar": ("الثلاثاء",)},
    "wed": {"en": ("wednesday",), "tr": ("çarşamba",), "ru": ("среду",), "ar": ("الاربعاء",)},
    "thu": {"en": ("thursday",), "tr": ("perşembe",), "ru": ("четверг",), "ar": ("الخميس",)},
    "fri": {"en": ("friday",), "tr": ("cuma",), "ru": ("пятниц",), "ar": ("الجمعه",)},
    "sat": {"en": ("saturday",), "tr": ("cumartesi",), "ru": ("суббот",), "ar": ("السبت",)},
    "sun": {"en": ("sunday",), "tr": ("pazar gün",), "ru": ("воскресень",), "ar": ("الاحد",)},
}
"""Weekdays; matched as whole words (Arabic with its article), except Russian and "pazar gün" (stems)."""

_RU_ORDINAL_ENDINGS = ("ой", "ый", "ий", "ая", "ое", "ого", "ому", "ом", "ую", "ые", "ых", "ье", "ья", "ьего",
                       "ьей", "ьем", "ью")
_ORDINALS: dict[int, dict[str, tuple[str, ...]]] = {
    2: {"en": ("second",), "tr": ("ikinci",), "ru": ("втор",), "ar": ("ثاني",)},
    3: {"en": ("third",), "tr": ("üçüncü",), "ru": ("трет",), "ar": ("ثالث",)},
    4: {"en": ("fourth",), "tr": ("dördüncü",), "ru": ("четверт",), "ar": ("رابع",)},
    5: {"en": ("fifth",), "tr": ("beşinci",), "ru": ("пят",), "ar": ("خامس",)},
    6: {"en": ("sixth",), "tr": ("altıncı",), "ru": ("шест",), "ar": ("سادس",)},
    7: {"en": ("seventh",), "tr": ("yedinci",), "ru": ("седьм",), "ar": ("سابع",)},
    8: {"en": ("eighth",), "tr": ("sekizinci",), "ru": ("восьм",), "ar": ("ثامن",)},
    9: {"en": ("ninth",), "tr": ("dokuzuncu",), "ru": ("девят",), "ar": ("تاسع",)},
    10: {"en": ("tenth",), "tr": ("onuncu",), "ru": ("десят",), "ar": ("عاشر",)},
}
"""Ordinals two to ten ("first" is left out: "the first time" is not the first of a series)."""

_NUMBER_WORDS: dict[int, dict[str, tuple[str, ...]]] = {
    2: {"en": ("two",), "tr": ("iki",), "ru": ("два", "две", "двое", "двух"),
        "ar": ("اثنان", "قتيلان", "قتيلين", "جريحان", "جريحين", "شخصان", "شخصين")},
    3: {"en": ("three",), "tr": ("üç",), "ru": ("три", "трое", "трех"), "ar": ("ثلاثه",)},
    4: {"en": ("four",), "tr": ("dört",), "ru": ("четыре", "четверо", "четырех"), "ar": ("اربعه",)},
    5: {"en": ("five",), "tr": ("beş",), "ru": ("пять", "пятеро", "пяти"), "ar": ("خمسه",)},
    6: {"en": ("six",), "tr": (), "ru": ("шесть", "шестеро"), "ar": ("سته",)},
    7: {"en": ("seven",), "tr": ("yedi",), "ru": ("семь",), "ar": ("سبعه",)},
    8: {"en": ("eight",), "tr": ("sekiz",), "ru": ("восемь",), "ar": ("ثمانيه",)},
    9: {"en": ("nine",), "tr": ("dokuz",), "ru": ("девять",), "ar": ("تسعه",)},
    10: {"en": ("ten",), "tr": (), "ru": ("десять",), "ar": ("عشره",)},
    20: {"en": ("twenty",), "tr": ("yirmi",), "ru": ("двадцать",), "ar": ("عشرون", "عشرين")},
    30: {"en": ("thirty",), "tr": ("otuz",), "ru": ("тридцать",), "ar": ("ثلاثون", "ثلاثين")},
    40: {"en": ("forty",), "tr": ("kırk",), "ru": ("сорок",), "ar": ("اربعون", "اربعين")},
    50: {"en": ("fifty",), "tr": ("elli",), "ru": ("пятьдесят",), "ar": ("خمسون", "خمسين")},
    60: {"en": ("sixty",), "tr": ("altmış",), "ru": ("шестьдесят",), "ar": ("ستون", "ستين")},
    70: {"en": ("seventy",), "tr": ("yetmiş",), "ru": ("семьдесят",), "ar": ("سبعون", "سبعين")},
    80: {"en": ("eighty",), "tr": ("seksen",), "ru": ("восемьдесят",), "ar": ("ثمانون", "ثمانين")},
    90: {"en": ("ninety",), "tr": ("doksan",), "ru": ("девяносто",), "ar": ("تسعون", "تسعين")},
    100: {"en": ("hundred",), "tr": (), "ru": ("сто",), "ar": ("مئه", "مائه")},
    200: {"en": (), "tr": (), "ru": ("двести",), "ar": ("مئتي", "مئتين", "مائتي", "مائتين")},
    1000: {"en": ("thousand",), "tr": (), "ru": ("тысяча",), "ar": ("الف",)},
    2000: {"en": (), "tr": (), "ru": (), "ar": ("الفي", "الفين")},
}
"""Numbers as words (whole words only); Turkish "altı", "on", "yüz" and "bin" are left out (also "under",
"front", "face", "ride"): "bin" and the others in `MULTIPLIERS` count only after a number ("2 bin")."""

_MULTIPLIERS: dict[int, dict[str, tuple[str, ...]]] = {
    1000: {"en": ("thousand",), "tr": ("bin",), "ru": ("тысяч", "тысячи", "тысяча"), "ar": ("الف", "الاف")},
    1_000_000: {"en": ("million",), "tr": ("milyon",), "ru": ("миллион", "миллиона", "миллионов"),
                "ar": ("مليون", "ملايين")},
}
"""Words that multiply the number before them ("2 bin" is 2,000, "три тысячи" 3,000)."""

_STOP_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("the", "and", "for", "with", "from", "after", "that", "this", "said", "says", "have", "has", "were",
           "was", "into", "over", "near", "since", "their", "they", "which", "while", "also", "been", "its",
           "are", "not", "but", "who", "on", "in", "of", "to", "at", "by", "an", "as", "is", "be", "it"),
    "tr": ("ve", "bir", "bu", "ile", "için", "olarak", "olan", "da", "de", "sonra", "göre", "kadar", "gibi",
           "ise", "şu", "her", "daha", "çok", "en", "ki", "ne", "mi"),
    "ru": ("и", "в", "на", "по", "с", "что", "из", "для", "после", "это", "как", "не", "за", "от", "его", "было",
           "был", "была", "были", "к", "о", "об", "у", "при", "под", "также", "который", "которые"),
    "ar": ("في", "من", "على", "الى", "عن", "بعد", "مع", "ان", "التي", "الذي", "هذا", "هذه", "قبل", "حتي", "كما",
           "او", "وقد", "قد", "تم", "كان", "حيث", "ذلك", "بين", "خلال", "عند", "منذ"),
}

EVENTS = MappingProxyType(_EVENTS)
ACTORS = MappingProxyType(_ACTORS)
WEEKDAYS = MappingProxyType(_WEEKDAYS)
FOLLOW_UPS = MappingProxyType(_FOLLOW_UPS)
ORDINALS = MappingProxyType(_ORDINALS)
RU_ORDINAL_ENDINGS = _RU_ORDINAL_ENDINGS
NUMBER_WORDS = MappingProxyType(_NUMBER_WORDS)
MULTIPLIERS = MappingProxyType(_MULTIPLIERS)
STOP_WORDS = MappingProxyType(_STOP_WORDS)
