"""The detector's corpus: spellings of personal data that must be found, officer text that must not.

Positives are generated systematically (numbers x separators x groupings x prefixes) with the
kind the detector must report; negatives are ordinary text a police contact writes.
"""

from __future__ import annotations

import random

NBSP, NNBSP, ZWSP, ZWNJ, ZWJ = "\u00a0", "\u202f", "\u200b", "\u200c", "\u200d"
WORD_JOINER, BOM, SOFT_HYPHEN, EN_DASH, MINUS = "\u2060", "\ufeff", "\u00ad", "\u2013", "\u2212"
SEPARATORS = (" ", ".", "-", "/", "_", "  ", NBSP, NNBSP, ZWSP, ZWNJ, ZWJ, WORD_JOINER, BOM,
              SOFT_HYPHEN, EN_DASH, MINUS, " - ", ". ", " " + NBSP, "\u2007", "\u2009",
              "\u3000", "\u2011", "\u2014", "\uff0d", "\t", "\n", "\u0336")


def reference_check_digits(nine: str) -> tuple[int, int] | None:
    """Mod-11 check digits written out from Skatteetaten's description."""
    d = [int(c) for c in nine]
    k1 = (11 - sum(w * x for w, x in zip((3, 7, 6, 1, 8, 9, 4, 5, 2), d, strict=True)) % 11) % 11
    if k1 == 10:
        return None
    weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    k2 = (11 - sum(w * x for w, x in zip(weights, d + [k1], strict=True)) % 11) % 11
    return None if k2 == 10 else (k1, k2)


def valid_number(day: int, month: int, year: int, individual: int) -> str:
    """The first valid number from ``individual`` on (day/month already carry any offset)."""
    for ind in range(individual, 1000):
        nine = f"{day:02d}{month:02d}{year % 100:02d}{ind:03d}"
        check = reference_check_digits(nine)
        if check:
            return nine + f"{check[0]}{check[1]}"
    raise ValueError("no valid individual number")


IDENTITY_NUMBERS = (
    (valid_number(15, 5, 2011, 123), "fodselsnummer"),
    (valid_number(1, 1, 2008, 400), "fodselsnummer"),
    (valid_number(29, 2, 2012, 250), "fodselsnummer"),
    (valid_number(31, 12, 1999, 987), "fodselsnummer"),
    (valid_number(45, 3, 2009, 10), "d_number"),
    (valid_number(71, 10, 1985, 555), "d_number"),
    (valid_number(15, 45, 2011, 300), "h_number"),
    (valid_number(22, 51, 2007, 42), "h_number"),
)
# Wrong check digits behind a plausible birth date (plain, D and H offsets).
LOOK_ALIKES = ("15051112345", "01010800000", "45030911111", "15451199999", "31129912340")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _cut(number: str, shape: tuple[int, ...], sep: str) -> str:
    parts, at = [], 0
    for size in shape:
        parts.append(number[at:at + size])
        at += size
    return sep.join(parts)


def identity_positives() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    contexts = ("fnr {}", "Gutten har fnr: {} og bor her.", "{}", "personnr.{}", "f.nr {} (mor)")
    for n, (number, kind) in enumerate(IDENTITY_NUMBERS):
        for i, sep in enumerate(SEPARATORS):
            context = contexts[(n + i) % len(contexts)]
            found.append((context.format(_cut(number, (6, 5), sep)), kind))
        for shape, sep in (((11,), ""), ((2, 2, 2, 5), "."), ((2, 2, 2, 5), NBSP),
                           ((3, 3, 3, 2), " "), ((3, 3, 3, 2), NNBSP), ((2, 2, 2, 5), "-"),
                           ((6, 3, 2), " "), ((2, 2, 2, 3, 2), " "), ((4, 4, 3), "_")):
            found.append((f"fnr {_cut(number, shape, sep)}", kind))
        dotted = f"{number[:2]}.{number[2:4]}.{number[4:6]} {number[6:]}"
        found.append((f"født {dotted}", kind))
        century = "19" if number[4:6] > "30" else "20"
        found.append((f"født {number[:2]}.{number[2:4]}.{century}{number[4:6]} {number[6:]}", kind))
        found.append((f"fnr {number.translate(FULL_WIDTH)}", kind))
        found.append((f"fnr {number[:5]}{number[5:8].translate(FULL_WIDTH)}{number[8:]}", kind))
        found.append((f"fnr {ZWSP.join(number)}", kind))
    for number in LOOK_ALIKES:
        for shape, sep in (((11,), ""), ((6, 5), " "), ((2, 2, 2, 5), "."), ((3, 3, 3, 2), " "),
                           ((6, 5), NBSP)):
            found.append((f"fnr {_cut(number, shape, sep)}", "identity_like"))
        found.append((f"fnr{number}", "identity_like"))
    return found


PHONES = ("91234567", "41234567", "98765432", "46812345", "22334455", "51614200", "73829100",
          "81549300")
GROUPINGS = ((8,), (4, 4), (3, 2, 3), (2, 2, 2, 2), (2, 3, 3))
PHONE_SEPARATORS = (" ", "  ", ".", "-", "/", "_", NBSP, NNBSP, ZWSP, SOFT_HYPHEN, EN_DASH)
COUNTRY_PREFIXES = ("+47 ", "+47", "0047 ", "0047", "47", "47 ", "+47" + NBSP, "(+47) ")
TEXT_PREFIXES = ("tlf", "tlf ", "tlf.:", "mob:", "telefon ", "Ring ", "mobil: ", "Tlf. ", "")


def phone_positives() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    contexts = ("ring {}", "Mor: {} (dagtid)", "{}", "far har {} etter kl 16", "nr. {}")
    for n, number in enumerate(PHONES):
        for g, shape in enumerate(GROUPINGS):
            for s, sep in enumerate(PHONE_SEPARATORS):
                if shape == (8,) and s:
                    continue
                context = contexts[(n + g + s) % len(contexts)]
                found.append((context.format(_cut(number, shape, sep)), "phone"))
        for i, prefix in enumerate(COUNTRY_PREFIXES):
            text = TEXT_PREFIXES[(n + i) % len(TEXT_PREFIXES)] + prefix
            found.append((text + _cut(number, GROUPINGS[i % len(GROUPINGS)], " "), "phone"))
    listed = ("91 234 567", "9123 4567", "91 23 45 67", "912 34 567", "+47 9123 4567",
              "0047 91234567", "4791234567", "tlf91234567", "tlf.:91234567", "mob:91234567",
              "telefon 91234567", "９１２３４５６７", "912 ３４ 567", "+47 ９１２ ３４ ５６７",
              "mor 912 34 567 / far 987 65 432", "912 34 567 / 987 65 432",
              "Tlf. 912 34 567. 25 ungdommer", "+46 70 123 45 67", "+45 12 34 56 78",
              "+44 20 7946 0958", "0046 70 123 45 67", "+47 912 34 567",
              f"912{ZWSP}34{WORD_JOINER}567", f"912{BOM}345{ZWJ}67", "22.33.44.55",
              "98 76 54 32", "4798765432", "004798765432", "+1 (555) 123-4567",
              "+44 (0)20 7946 0958", "Tlf:+4791234567", "mobilnummer: 912 34 567",
              "912\t34\t567", "912\n34 567", "Mobnr91234567", "nr91234567",
              "telefonnummer91234567", "ring91234567", "22.11.20.45", "Sentralbord 22/11/20/45")
    return found + [(text, "phone") for text in listed]


EMAILS = (
    "ola.nordmann@politiet.no", "ola@politiet", "ola (at) politiet.no", "ola(at)politiet.no",
    "ola[at]politiet.no", "ola{at}politiet.no", "ola <at> politiet.no", "ola at politiet.no",
    "ola at politiet dot no", "ola[at]politiet[dot]no", "ola(at)politiet(dot)no",
    "ola＠politiet.no", "ola @ politiet.no", "ola@ politiet.no", "ola @politiet.no",
    "ola.nordmann (at) gjesdal (dot) kommune (dot) no", "kari_hansen+u18@example.com",
    "ola krøllalfa politiet punktum no", "ola(krøll)politiet.no", "OLA [AT] POLITIET [DOT] NO",
    f"ola{ZWSP}@politiet.no", f"o{SOFT_HYPHEN}la@politiet.no", f"ola{NBSP}@{NBSP}politiet.no",
    "ola[dot]nordmann[at]politiet[dot]no", "e-post: ola.nordmann@gjesdal.kommune.no.",
    "<ola@politiet.no>", "Mor har e-post kari.hansen at gmail.com", "kari﹫example.no",
    "ola (a) politiet.no", "per.hansen[at]gmail.com", "skriv til ungdom.2009@hotmail.com",
    "kari at hotmail (dot) com", "ola_nordmann@politiet", "ola.n@kommune",
)


def positives() -> list[tuple[str, str]]:
    """(text, kind the detector must report) for every spelling."""
    every = (identity_positives() + phone_positives()
             + [(f"Kontakt: {text}", "email") for text in EMAILS])
    return list(dict.fromkeys(every))


WRITTEN_NEGATIVES = (
    "15.05.2011", "15.05.11", "2026-03-04", "4/3", "uke 12", "kl. 21:30", "21.30-23.00",
    "ca. 15 ungdommer", "12-15 stk", "2024", "2023/2024", "4330 Ålgård", "7500 Stjørdal",
    "Storgata 12", "10B", "1122", "rus_og_vold_2026", "kr 1 500", "25 %", "15052011",
    "Sak 2026/1234", "@kommunen", "Følg @politiet og @gjesdalkommune", "Uke 47, år 2026",
    "Han sa at vg.no hadde skrevet om saken", "Hun mente at snap.com burde varsles",
    "12 ungdommer ved Ålgård stasjon kl 21.30", "Møte 24.11.2026, rom 214",
    "Omtrent 2 000 personer på festivalen", "Postnr 4330", "Veg 509 stengt ved km 12",
    "Kl. 18.00 - 21.30 i sentrum", "Vakt 22.00–02.00", "mellom 20.00 og 23.00",
    "15.05.2026 kl. 21.30", "15.05.2026 21:30", "15.05.2026 21.30", "25.05.26 21 ungdommer",
    "04.03.2026 - 06.03.2026", "01.03-15.03", "25.03-31.03", "Skift 2200-0600",
    "Skoleåret 2025-2026", "2023 - 2024", "i 2025 og 2026", "Storgata 12, 4330 Ålgård",
    "Postboks 23, 4339 Ålgård", "Kirkegata 5B", "Jernbaneveien 1-3", "8A og 9C",
    "kommunenummer 5035", "ref. U18-2026-004", "PAL 2026-0042", "BL-sak 23-1234-AB",
    "skole_2025_2026", "kr 25 000", "kr 2 500 000", "kr 25 000 000", "25 000 000 kr",
    "kostnad 250 000,-", "12,5 %", "E39 ved Ålgård", "Rv 13 stengt", "buss 77 kl 21.10",
    "Posisjon 58.7523, 5.8312", "58.7523456, 5.8312345", "110, 112 og 113",
    "ring 02800 ved behov", "Alarmtelefonen 116 111", "Org.nr. 964 965 226",
    "Saksnummer 2026/1234", "Arkivsak 25/1234", "2026-03-04T21:30", "2026-03-04 21:30",
    "Vakt 07-15, 15-23 og 23-07", "ca 150-200 personer", "Nr 3 av 10", "Bil EL 12345",
    "Tid: 21.30–23.45, 15 ungdommer", "Uke 12-14", "3 av 12 var under 15 år",
    "Mellom kl 22 og 24 var det 30-40 ungdommer", "Fredag 25.05. 21.30-23.30",
    "Møte 15. mai 2026 kl 18", "Neste skolebesøk 29.05.", "Politirådet 12.06.2026 kl. 09.00",
    "Helgen 14.-16. juni", "Rapport for 1. halvår 2026", "Tertial 2/2026", "Prioritet 1 av 3",
    "21.30 23.00", "Kl 21.30 kom 25 ungdommer", "Registrert 12 personer, 3 anmeldelser",
    "Festival 2026: 4 000 besøkende, 12 bortvist", "Klasse 10B og 10C, 48 elever",
    "Ålgård 4330, Oltedal 4333, Gjesdal", "7500 Stjørdal og 7520 Hegra", "Gnr 12 bnr 345",
    "Versjon 2.3.1", "Rom 2.14 i 2. etasje", "Temperatur -12 °C", "Vind 12-15 m/s",
    "Kl. 00.30-01.00 rolig", "Fra 1.1.2026 til 31.12.2026", "31.12.2025 - 01.01.2026",
    "Fra 2026-01-01 til 2026-12-31", "Møtene 12.02, 14.05 og 10.09", "01/02/2026",
    "I perioden 2019-2023 sank tallet", "Andel 0,25 av 1 200", "Hendelse 2026/5678-3",
    "Tiltak 4.2.1 i planen", "Buss 2 og 3", "kl 14-16", "15-16 år gamle gutter",
    "ca. 20 ungdommer 21.30", "Sted: Ålgård sentrum (gnr. 4/22)", "2 av 3 skoler",
    "Snitt 3,5 per helg", "uke 22 og 23", "Innbyggere 12 400", "Budsjett kr 1 250 000",
    "20260304", "Kl 21:30-23:00", "Fredag 21:30 til lørdag 02:00", "kr 12 500 000",
    "Møte i rom 214 kl 0900-1030", "Kl 0800-1600", "Fra 1998 til 2026", "Mellom 1990 og 2000",
    "Kl 21.30 var det 15-20 ungdommer, 2 politipatruljer", "Fra uke 34 2026 til uke 2 2027",
    "Hendelsen skjedde 03.04.26 ca kl 2315", "Meldt 23.45, avsluttet 01.15",
    "Runde 2: 22.00 - 22.45 Ålgård sentrum, 23.00 - 23.30 Oltedal", "Sum 2 450 000 kroner",
    "Tiltakskode 2026_04_15", "Bilde IMG_20260415_2130", "fil 20260415-213055",
    "Klokka 2130 til 2300", "I alt 2 345 678 kr", "Tallet økte fra 2 100 til 2 450",
    "Telefonmøte kl 10.00-11.00", "Tidsrom 2100-2330", "2026 2027", "15 05 2026",
    "15.5.2026 21.30", "Dato 2026.05.15 kl 21", "Ved 22-tiden kom 30-40 ungdommer",
    "Sak 26/12345 og 26/12346", "Mellom 21 og 23 var det rolig, 2 bortvist",
    "Fotballkamp 3-2, 2 500 tilskuere", "Strekning km 12,5-14,2",
    "Kontakt SLT-koordinator via kommunens sentralbord",
    "Møte med rektor, helsesykepleier og barnevern 12.06 kl 09.00-10.30",
    "Oppfølging 14 dager, neste 26.06", "Uke 23-26 sommerferie", "kl. 22.00/22.30 ny runde",
    "Elever født 2010-2011", "Aldersgruppe 13-17, 18-25", "Skole 1.-10. trinn",
    "Stortingsvalget 2025, 68 % oppmøte", "Tall fra 2015-2025: 120, 135, 150",
    "Bussrute 2340 fra Ålgård 21.45", "21-23.30", "Fra 15.06 til 15.08",
    "Periode 01.06.2026-31.08.2026", "Åpningstid 10-16, lør 10-14", "Kl 23.59 – 00.30",
    "Innkalt 29.05.2026 kl 18.30 – 20.00 i rom 2.14", "ID-kort nr AB 123456", "Fartøy LK 2345",
    "Fartsgrense 60, målt 92 km/t", "Vekt 2,5 kg, 12 poser", "Beslag 3,2 g hasj, 2 piller",
    "Ungdom 15 år, 16 år og 17 år", "Det var greit at skolen.Vi tok en runde",
    "Vi ble enige om at politiet.no skal oppdateres", "Møte @ 18:00 i gymsalen",
    "Kl 21 @ Ålgård stasjon", "Se oss @ politiet.no", "Vurdering: viktig at vi følger opp",
    "Ungdommene sa at de skulle hjem. Ingen anmeldelser.", "KANARI004791234567",
    "Vakt 00.30-02.00 03.00-04.00", "Kode AB91234567", "Ref XK15051112345",
    "Serienr SN20261234", "Vedlegg IMG91234567.jpg",
)


def _systematic_negatives() -> list[str]:
    """Dates, times and counts in the formats officers use, from a fixed random stream."""
    rng = random.Random(20260304)  # noqa: S311 - a fixed corpus, not security
    texts: list[str] = []
    for _ in range(30):
        day, month = rng.randint(1, 28), rng.randint(1, 12)
        year = rng.randint(2019, 2027)
        h1, m1 = rng.randint(7, 22), rng.choice((0, 15, 30, 45))
        h2 = min(h1 + rng.randint(1, 3), 24)
        m2 = 0 if h2 == 24 else rng.choice((0, 15, 30, 45))
        count = rng.randint(2, 60)
        postcode, place = rng.choice((("4330", "Ålgård"), ("4333", "Oltedal"),
                                      ("7500", "Stjørdal"), ("7520", "Hegra"),
                                      ("4335", "Dirdal")))
        texts += [
            f"Observasjon {day:02d}.{month:02d}.{year} kl. {h1:02d}.{m1:02d}-{h2:02d}.{m2:02d}: "
            f"ca. {count} ungdommer ved {place}.",
            f"{year}-{month:02d}-{day:02d} {h1:02d}:{m1:02d} skolebesøk, {count} elever",
            f"{day}.{month}.{year % 100:02d} {h1:02d}.{m1:02d}-{h2:02d}.{m2:02d} rolig",
            f"{day:02d}.{month:02d} {h1:02d}.{m1:02d}-{h2:02d}.{m2:02d}, {postcode} {place}",
            f"Møte {day:02d}.{month:02d}.{year}, {count}-{count + 5} deltakere, "
            f"Storgata {rng.randint(1, 99)}, {postcode} {place}",
            f"Uke {rng.randint(1, 52)} {year}: {count} hendelser, "
            f"sak {year}/{rng.randint(1, 9999)}",
            f"Tiltak {year}/{year + 1}, {count} % av elevene",
        ]
    return texts


def negatives() -> list[str]:
    return list(dict.fromkeys(WRITTEN_NEGATIVES + tuple(_systematic_negatives())))
