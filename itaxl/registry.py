"""The register of Thai local administrative offices (อปท.), shipped with itaxl.

Source: the Department of Local Administration's open dataset (see
``itaxl/data/SOURCE.md``).  One row per office: 7-digit code, type, name,
district and province.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import importlib.resources
import re

from .errors import UnknownOfficeError, UsageError
from .schema import OFFICE_TYPE_BY_NAME
from .thai import clean_text, to_arabic_digits


@dataclasses.dataclass(frozen=True)
class Office:
    code: str
    type_th: str
    name_th: str
    district_th: str
    province_code: str
    province_th: str
    province_en: str

    @property
    def full_name(self) -> str:
        """The name as documents write it: "องค์การบริหารส่วนตำบลโคกสนวน"."""
        office_type = OFFICE_TYPE_BY_NAME.get(self.type_th)
        prefix = office_type.full_th if office_type else ""
        if self.type_th == "ท้องถิ่นรูปแบบพิเศษ":
            return self.name_th
        return f"{prefix}{self.name_th}"

    @property
    def short_name(self) -> str:
        """"อบต.โคกสนวน"."""
        office_type = OFFICE_TYPE_BY_NAME.get(self.type_th)
        return f"{office_type.prefix}{self.name_th}" if office_type else self.name_th


@functools.lru_cache(maxsize=1)
def offices() -> dict[str, Office]:
    """Every office in the register, by 7-digit code."""
    path = importlib.resources.files("itaxl").joinpath("data/lao-registry.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            row["dla_code"]: Office(row["dla_code"], row["type_th"], row["name_th"], row["district_th"],
                                    row["province_code"], row["province_th"], row["province_en"])
            for row in csv.DictReader(fh)
        }


def normalise_code(value: object) -> str | None:
    """A 7-digit office code from what people write (Thai digits, 8 digits with a leading 0, 6311805.0)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"[\s\-]", "", to_arabic_digits(str(value)))
    if len(text) == 8 and text.startswith("0"):
        text = text[1:]
    return text if re.fullmatch(r"\d{7}", text) else None


def lookup(code: object) -> Office | None:
    """The office with this code, or None."""
    normal = normalise_code(code)
    return offices().get(normal) if normal else None


def get(code: object) -> Office:
    """The office with this code; :class:`UnknownOfficeError` if there is none."""
    office = lookup(code)
    if office is None:
        raise UnknownOfficeError(f"office code {code!r} is not in the register of local offices")
    return office


_NAME_PREFIXES = re.compile(
    r"^(องค์การบริหารส่วนตำบล|องค์การบริหารส่วนจังหวัด|เทศบาลนคร|เทศบาลเมือง|เทศบาลตำบล|อบต\.?|อบจ\.?|ทต\.?|ทม\.?|ทน\.?)\s*"
)


def same_name(written: str, office: Office) -> bool:
    """Whether a name typed in a workbook names this office (prefixes and spaces ignored)."""
    def bare(text: str) -> str:
        return re.sub(r"\s+", "", _NAME_PREFIXES.sub("", clean_text(text)))
    return bare(written) == bare(office.name_th)


def select(province: str | None = None, district: str | None = None) -> list[Office]:
    """Offices of a province (Thai or English name, or 2-digit code) and/or district, by code."""
    result = list(offices().values())
    if province:
        key = province.strip()
        matched = [o for o in result
                   if key in (o.province_th, o.province_code) or key.lower() == o.province_en.lower()]
        if not matched:
            raise UsageError(f"no province {province!r} in the register (use its Thai name, English name or 2-digit code)")
        result = matched
    if district:
        key = re.sub(r"^อำเภอ|^อ\.", "", district.strip())
        matched = [o for o in result if o.district_th == key]
        if not matched:
            raise UsageError(f"no district {district!r} in the register" + (f" in {province}" if province else ""))
        result = matched
    return sorted(result, key=lambda o: o.code)
