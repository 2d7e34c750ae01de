"""What an incident hit or carried, when it is specific enough to tie two reports of it together (pure data).

Reports of one strike name its target in every language ("water station", "su istasyonu", "водонасосная
станция", "محطة مياه"); reports of one convoy its cargo ("concrete blocks", "beton blok", "كتل إسمنتية"). A
report whose title names such a target, of a story that names it too, is anchored to it as by a town
(bot/core/stories/affinity.py). Only specific targets are listed: cars, houses, camps, bases and roads are hit
every day and would tie unrelated incidents. Entries are stems as in bot/core/stories/lexicon.py ("=" for a
whole word); written from general knowledge of news from northwest Syria, not from any corpus.
"""

from __future__ import annotations

from types import MappingProxyType

_TARGETS: dict[str, dict[str, tuple[str, ...]]] = {
    "water": {"en": ("water station", "water pumping", "pumping station", "water plant", "water supply"),
              "tr": ("su istasyon", "su pompa", "içme suyu", "su deposu"),
              "ru": ("водонасосн", "насосн станц", "водокачк", "водопровод", "водозабор", "водоснабжен"),
              "ar": ("محطه مياه", "محطه ضخ", "محطه المياه", "مياه الشرب", "ضخ المياه")},
    "power": {"en": ("power station", "power plant", "power line", "substation"),
              "tr": ("elektrik santral", "trafo", "elektrik hat"),
              "ru": ("электростанц", "подстанц", "лэп="),
              "ar": ("محطه كهرباء", "محطه توليد", "محطه تحويل", "خط التوتر")},
    "hospital": {"en": ("hospital", "clinic", "medical centre", "medical center"),
                 "tr": ("hastane", "sağlık merkez", "klinik"),
                 "ru": ("больниц", "госпитал", "медицинск центр", "поликлиник"),
                 "ar": ("مشفي", "مستشفي", "مستوصف", "مركز صحي")},
    "school": {"en": ("school",), "tr": ("okul",), "ru": ("школ",), "ar": ("مدرسه", "مدارس")},
    "bakery": {"en": ("bakery", "bakeries"), "tr": ("fırın",), "ru": ("пекарн", "хлебозавод"),
               "ar": ("فرن=", "افران=", "مخبز")},
    "market": {"en": ("market", "bazaar"), "tr": ("pazar yer", "çarşı", "semt pazar"),
               "ru": ("рынок", "рынк"), "ar": ("سوق", "اسواق")},
    "mosque": {"en": ("mosque",), "tr": ("cami=", "camii", "camiye", "camide"), "ru": ("мечет",),
               "ar": ("مسجد", "جامع=")},
    "fortification": {"en": ("concrete block", "concrete wall", "cement block", "fortification"),
                      "tr": ("beton blok", "beton duvar", "tahkimat"),
                      "ru": ("бетонн блок", "бетонн плит", "фортификац"),
                      "ar": ("كتل اسمنتيه", "كتلا اسمنتيه", "كتل خرسانيه", "جدران اسمنتيه", "تحصين")},
    "poultry": {"en": ("poultry farm", "chicken farm"), "tr": ("tavuk çiftli", "kümes"),
                "ru": ("птицефабрик", "птицеферм"), "ar": ("مدجنه", "مداجن")},
    "olive": {"en": ("olive",), "tr": ("zeytin",), "ru": ("оливк", "маслин"), "ar": ("زيتون",)},
}

TARGETS = MappingProxyType(_TARGETS)
