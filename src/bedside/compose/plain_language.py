"""Which statements are for clinicians only, and so left out of a patient article.

`is_clinician_only` is True when a statement carries any of:

1. A dose: a number followed by a dose unit — mg, mcg, µg, micrograms, milligrams, g, grams,
   ml/mL, mmol, units, IU, ng, mg/kg ("100 mg", "1.6 micrograms per kg", "80 to 90 mg").
   Two kinds of amount are not doses and do not count: a concentration or lab value, where the
   unit is divided by a volume or a time ("6 mg/dL", "7 mmol/L", "45 ml/minute"), and an amount
   of food or drink ("6 g of salt", "14 units of alcohol").
2. A regimen: a frequency ("twice daily", "three times a day", "every 8 hours") together with a
   count of doses ("2 tablets", "1 puff") or a dose as in rule 1. A frequency alone, as in
   "take it twice a day for 5 days", is advice a patient can follow and does not count.
3. Latin prescribing shorthand as a whole word: bd, tds, tid, qds, qid, prn, nocte, q4h-style
   intervals, and dotted forms (b.i.d., t.d.s.). "bid", "od" and "mane" are also English words
   ("in a bid to"), so they count only in capitals (BID, OD) or after a number.
4. A route abbreviation with a dose: IV, IM, SC, SQ or PO within a few words of a number, but
   not a Roman numeral ("stage IV", "grade IV", "class IV").
5. Procedural technique: fluoroscopic guidance, image guidance, interlaminar, transforaminal,
   caudal approach, pedicle screws, interbody cages, needle placement, gauge of a needle,
   negative aspiration, loss of resistance, contrast injection.
6. Evidence grading and statistics: level or quality of evidence, certainty of evidence, grade
   A–D recommendations, strong/conditional/weak recommendation labels, class 1/2a/2b/3,
   hazard/odds/risk ratios, relative risk, confidence intervals ("95% CI"), p values
   ("p < 0.05"), NNT/NNH, mean differences, I² and intention-to-treat or per-protocol analyses.

Everything else — "Ibuprofen can ease back pain", "Most people improve within 6 weeks", blood
pressure targets such as "below 130/80" — is fit for patients.
"""

from __future__ import annotations

import re

_NUMBER = r"(?<![\w.])\d+(?:[.,]\d+)*"
_DOSE = re.compile(
    rf"{_NUMBER}\s*(?:mg/kg|mg|mcg|µg|μg|micrograms?|milligrams?|g|grams?|ml|millilitres?|"
    r"milliliters?|mmol|units?|IU|ng)(?!\w)"
    # Not a dose: a concentration or rate ("6 mg/dL", "45 ml/minute") ...
    r"(?!\s*/\s*(?:dl|l|ml|µl|μl|ul|min|minute|1\.73)\b)"
    # ... or an amount of food or drink ("6 g of salt", "14 units of alcohol").
    r"(?!\s+(?:of\s+)?(?:salt|sodium|sugar|fibre|fiber|protein|fat|carbohydrates?|alcohol)\b)",
    re.IGNORECASE,
)
_DOSE_COUNT = re.compile(
    rf"{_NUMBER}\s+(?:\w+\s+)?(?:tablets?|capsules?|puffs?|drops?|sprays?|sachets?|"
    r"inhalations?|doses?|injections?|pessar(?:y|ies)|suppositor(?:y|ies))\b",
    re.IGNORECASE,
)
_FREQUENCY = re.compile(
    r"\b(?:once|twice|three times|four times|\d+ times)[\s-]+(?:a\s+)?(?:daily|day|week|weekly)\b"
    r"|\bevery\s+\d+\s*(?:to\s+\d+\s*)?hours?\b|\b\d+[- ]hourly\b",
    re.IGNORECASE,
)
_LATIN = re.compile(
    r"\b(?:bd|tds|tid|qds|qid|prn|nocte|q\d+h)\b"
    r"|\b(?:b\.i\.d|b\.d|t\.i\.d|t\.d\.s|q\.i\.d|q\.d\.s|o\.d|p\.r\.n)\b\.?",
    re.IGNORECASE,
)
# "bid", "od" and "mane" are English words too: prescribing shorthand only in capitals or
# after a number.
_AMBIGUOUS_LATIN = re.compile(r"\b(?:BID|OD|MANE)\b|\d[^.;]{0,20}?\b(?:bid|od|mane)\b")
_ROMAN = r"(?<![Ss]tage )(?<![Gg]rade )(?<![Cc]lass )(?<![Tt]ype )(?<![Pp]hase )"
_ROUTE = re.compile(
    rf"{_ROMAN}\b(?:IV|IM|SC|SQ|PO)\b(?=[^.;]{{0,30}}\d)|\d[^.;]{{0,30}}{_ROMAN}\b(?:IV|IM|SC|SQ|PO)\b"
)
_TECHNIQUE = re.compile(
    r"\b(?:fluoroscop\w*|image[- ]guid\w*|ultrasound[- ]guid\w*|ct[- ]guid\w*|interlaminar|"
    r"transforaminal|caudal (?:approach|route|epidural|injection)s?|pedicle screws?|interbody|"
    r"needle (?:placement|tip|position)|\d+[- ]gauge|negative aspiration|loss of resistance|"
    r"contrast injection|instrumented fusion)\b",
    re.IGNORECASE,
)
_STATISTICS = re.compile(
    r"\b(?:levels? of evidence|evidence levels?|quality of (?:the )?evidence|"
    r"(?:high|moderate|low)[- ](?:quality|certainty) evidence|certainty of (?:the )?evidence|"
    r"(?:strong|conditional|weak) recommendation|"
    r"hazard ratios?|odds ratios?|risk ratios?|relative risks?|confidence intervals?|"
    r"number needed to (?:treat|harm)|standardi[sz]ed mean difference|mean difference|"
    r"intention[- ]to[- ]treat|per[- ]protocol|likelihood ratios?|predictive values?|"
    r"(?:pooled|diagnostic) (?:sensitivity|specificity)|(?:sensitivity|specificity) of \d|"
    r"area under the (?:\w+ )*curve)\b"
    r"|\(pooled\b|\b[p]\s*(?:<|>|=|≤|≥)\s*0?\.\d",
    re.IGNORECASE,
)
# Abbreviations and labels that must keep their case: "OR 1.2" is a statistic, "or 2" a word.
_STATISTIC_LABELS = re.compile(
    r"\b(?:NNT|NNH|AUC)\b|\d\s?% CI\b|\b(?:RR|HR|OR|aOR|aHR|SMD|MD)\s*[=:]?\s*[−-]?\d"
    r"|\bI(?:2|²)\s*=|\b[Gg]rade [A-D]\b|\(grade I\)|\bI statement\b"
    r"|\b[Cc]lass (?:[123][ab]?|I{1,3}[ab]?)(?= recommendation| option| first-line|\))"
)
_ALWAYS = (_DOSE, _LATIN, _AMBIGUOUS_LATIN, _ROUTE, _TECHNIQUE, _STATISTICS, _STATISTIC_LABELS)


def is_clinician_only(text: str) -> bool:
    """Whether `text` carries dose, regimen, technique or statistical detail (module docstring)."""
    if any(pattern.search(text) for pattern in _ALWAYS):
        return True
    # A frequency counts only with something to take that often.
    return bool(_FREQUENCY.search(text) and _DOSE_COUNT.search(text))
