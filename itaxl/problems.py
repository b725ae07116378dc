"""Problems: what is wrong with a submitted workbook.

A :class:`Problem` is a value, not an exception.  The reader and validator
produce them; reports, the CLI and the merger only render or count them.  Every
code is declared once in :data:`CATALOGUE` with its severity and its Thai and
English message templates; the README's table of codes is checked against it.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any

from .fieldtypes import Url


class Severity(str, enum.Enum):
    ERROR = "error"      # blocks the submission
    WARNING = "warning"  # a person should look
    INFO = "info"        # a note about a value that was read correctly; counted apart, never a warning


SEVERITY_TH = {Severity.ERROR.value: "ข้อผิดพลาด", Severity.WARNING.value: "คำเตือน",
               Severity.INFO.value: "หมายเหตุ"}
"""How every Thai report, list and workbook names a severity."""


@dataclasses.dataclass(frozen=True)
class Code:
    slug: str
    severity: Severity
    th: str
    en: str


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, at one place."""

    severity: Severity
    code: str
    file: str
    sheet: str | None
    cell: str | None
    message_th: str
    message_en: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict, compare=False, hash=False)
    """The values the messages were made from (what was found, what was expected, the field's
    label …), for programs that act on a problem without parsing its words."""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def is_warning(self) -> bool:
        return self.severity is Severity.WARNING

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity.value, "code": self.code, "sheet": self.sheet,
            "cell": self.cell, "message_th": self.message_th, "message_en": self.message_en,
            "params": {k: v if isinstance(v, (int, float, bool)) or v is None else str(v)
                       for k, v in self.params.items()},
        }


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

_CODES = (
    # -- the file itself
    Code("file-empty", E, "ไฟล์ว่างเปล่า (0 ไบต์)", "The file is empty (0 bytes)."),
    Code("file-not-xlsx", E, "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) แต่เป็น {what} กรุณาส่งไฟล์ .xlsx ที่ได้รับ",
         "This is not an Excel workbook (.xlsx) but {what}; send the .xlsx file you were given."),
    Code("file-legacy-xls", E, "ไฟล์นี้เป็น Excel รุ่นเก่า (.xls) กรุณาบันทึกเป็น .xlsx แล้วส่งใหม่",
         "This is a legacy Excel file (.xls); save it as .xlsx and send it again."),
    Code("file-encrypted", E, "ไฟล์นี้ตั้งรหัสผ่านไว้ กรุณาเอารหัสผ่านออกแล้วส่งใหม่",
         "The file is password-protected; remove the password and send it again."),
    Code("file-ods", E, "ไฟล์นี้เป็น OpenDocument (.ods) กรุณาบันทึกเป็น .xlsx (Excel 2007-365) แล้วส่งใหม่",
         "This is an OpenDocument spreadsheet (.ods); save it as .xlsx (Excel 2007-365) and send it again."),
    Code("file-too-large", E, "ไฟล์มีขนาด {size} ใหญ่เกินกว่าที่รับได้ ({limit}; ปรับได้ด้วย --max-file-mb)",
         "The file is {size}, larger than the limit of {limit} (raise it with --max-file-mb)."),
    Code("file-not-spreadsheet", E, "ไฟล์นี้เป็น {what} ไม่ใช่สมุดงาน Excel กรุณาส่งไฟล์ .xlsx ที่ได้รับ",
         "This is {what}, not an Excel workbook; send the .xlsx file you were given."),
    Code("file-macro", E, "ไฟล์มีแมโคร (VBA) ซึ่งไม่อนุญาต กรุณาบันทึกเป็น .xlsx (ไม่มีแมโคร) แล้วส่งใหม่",
         "The file contains macros (VBA), which are not accepted; save it as .xlsx without macros."),
    Code("file-activex", E, "ไฟล์มีตัวควบคุม ActiveX ซึ่งไม่อนุญาต", "The file contains ActiveX controls, which are not accepted."),
    Code("file-embedded-object", E, "ไฟล์มีวัตถุฝังตัว (OLE) ซึ่งไม่อนุญาต กรุณาลบออกแล้วส่งใหม่",
         "The file contains embedded objects, which are not accepted; remove them and send it again."),
    Code("file-external-link", E, "ไฟล์มีลิงก์ไปยังสมุดงานอื่น ซึ่งไม่อนุญาต กรุณาลบลิงก์แล้วส่งใหม่",
         "The file links to other workbooks, which is not accepted; remove the links and send it again."),
    Code("file-data-connection", E, "ไฟล์มีการเชื่อมต่อข้อมูลภายนอก ซึ่งไม่อนุญาต",
         "The file contains external data connections, which are not accepted."),
    Code("zip-too-many-entries", E, "ไฟล์มีส่วนประกอบ {count} ส่วน มากเกินกว่าที่รับได้ ({limit}; ปรับได้ด้วย --max-entries)",
         "The package has {count} members, more than the limit of {limit} (raise it with --max-entries)."),
    Code("zip-entry-too-large", E, "ส่วนประกอบ {name} มีขนาด {size} เมื่อคลายออก ใหญ่เกินกว่าที่รับได้ ({limit}; ปรับได้ด้วย --max-unpacked-mb)",
         "Member {name} unpacks to {size}, more than the limit of {limit} (raise it with --max-unpacked-mb)."),
    Code("zip-too-large", E, "ไฟล์มีขนาด {size} เมื่อคลายออก ใหญ่เกินกว่าที่รับได้ ({limit}; ปรับได้ด้วย --max-unpacked-mb)",
         "The package unpacks to {size}, more than the limit of {limit} (raise it with --max-unpacked-mb)."),
    Code("zip-bomb", E, "ส่วนประกอบ {name} ถูกบีบอัด {ratio} เท่า ผิดปกติ (zip bomb) ไม่อ่านไฟล์นี้",
         ("Member {name} is compressed {ratio} times (the limit is {limit}; raise it with --max-ratio): "
          "a zip bomb; the file is not read.")),
    Code("zip-duplicate-entry", E, "ไฟล์มีส่วนประกอบชื่อซ้ำกัน ({name}) ไฟล์อาจถูกดัดแปลง",
         "The package has two members named {name}; it may have been tampered with."),
    Code("zip-unsafe-path", E, "ไฟล์มีส่วนประกอบที่ชื่อไม่ปลอดภัย ({name})",
         "The package has a member with an unsafe name ({name})."),
    Code("xml-forbidden", E, "ไฟล์มีโครงสร้าง XML ที่ไม่อนุญาต ({detail})",
         "The file holds XML constructs that are not allowed ({detail})."),
    Code("file-corrupt", E, "ไฟล์เสียหายหรือไม่สมบูรณ์ เปิดอ่านไม่ได้ ({detail})",
         "The file is damaged or incomplete and cannot be opened ({detail})."),
    Code("file-unreadable", E, "อ่านไฟล์ไม่ได้ ({detail})", "The workbook could not be read ({detail})."),
    Code("internal-error", E, "itaxl ตรวจไฟล์นี้ไม่ได้เพราะข้อผิดพลาดของโปรแกรม itaxl เอง (ไม่ใช่ความผิดของไฟล์) "
         "รายละเอียดอยู่ใน {log} กรุณาส่งให้ผู้ดูแลระบบ",
         "itaxl could not check this file because of a bug in itaxl (not a fault of the file); "
         "the details are in {log} (please send it with your report)."),
    Code("file-missing", E, "ไม่พบไฟล์ หรือเปิดไฟล์ไม่ได้ ({detail})", "The file cannot be opened ({detail})."),
    # -- identity
    # -- entries of an input folder that cannot be read at all
    Code("path-unreadable", E, "เปิดอ่านไม่ได้ ({detail})", "Cannot be read ({detail})."),
    Code("path-link-broken", E, "ลิงก์เสีย ({detail})", "A broken link ({detail})."),
    Code("path-link-loop", E, "ลิงก์วนกลับ ({detail})", "A link loop ({detail})."),
    Code("path-link-outside", E, "ลิงก์ออกไปนอกโฟลเดอร์ที่ให้ตรวจ ไม่อ่าน ({detail})",
         "A link out of the input folder, not followed ({detail})."),
    Code("not-itaxl", E, "ไฟล์นี้ไม่ใช่แบบฟอร์มของ itaxl (ไม่พบข้อมูลกำกับแบบฟอร์ม) กรุณาใช้แบบฟอร์มที่ได้รับ",
         "This is not an itaxl workbook (no itaxl metadata); use the template you were given."),
    Code("unknown-kind", E, "ไม่รู้จักชนิดของแบบฟอร์ม '{kind}'", "Unknown workbook kind '{kind}'."),
    Code("unknown-schema-version", E,
         "แบบฟอร์มนี้เป็นรุ่น {version} ซึ่งไม่รองรับ (รองรับ {supported}) กรุณาขอแบบฟอร์มใหม่",
         "Template schema version {version} is not supported (supported: {supported}); ask for a new template."),
    Code("framework-unknown", E,
         "ไฟล์นี้สร้างตามกรอบการประเมิน ITA {year} ({sha}) ซึ่ง itaxl รุ่นนี้ไม่มี "
         "กรุณาตรวจด้วย --framework และไฟล์กรอบการประเมินที่ใช้สร้างแบบฟอร์ม",
         "The workbook was made with the ITA {year} framework ({sha}), which this itaxl does not ship; "
         "check it with --framework and the framework file its template was made from."),
    Code("framework-mismatch", E,
         "ไฟล์นี้สร้างตามกรอบการประเมิน ITA {year} ({sha}) ไม่ใช่ไฟล์กรอบการประเมินที่ระบุ ({given})",
         "The workbook was made with the ITA {year} framework ({sha}), not with the framework given ({given})."),
    Code("sheet-missing", E, "ไม่พบแผ่นงาน '{name}' ในไฟล์", "Sheet '{name}' is missing."),
    Code("metadata-edited", E, "ข้อมูลกำกับแบบฟอร์มถูกแก้ไข ({detail})", "The workbook's metadata was edited ({detail})."),
    Code("locked-cell-changed", E, "เซลล์ที่ล็อกไว้ถูกแก้ไข: เดิม '{expected}' ปัจจุบัน '{found}'",
         "A locked cell was changed: it held '{expected}', it now holds '{found}'."),
    Code("locked-row-deleted", E, "แถวของมาตรการที่ล็อกไว้ถูกลบ: แถว {row} เดิมคือ '{text}'",
         "A locked row was deleted: row {row} held '{text}'."),
    Code("locked-row-inserted", E, "มีการแทรกแถวในตารางที่ล็อกไว้: '{text}'",
         "A row was inserted into the locked table: '{text}'."),
    Code("locked-rows-reordered", E, "ลำดับแถวของมาตรการที่ล็อกไว้ถูกสลับ: แถวนี้ควรเป็น '{expected}' แต่พบ '{found}'",
         "Locked rows were reordered: this row should hold '{expected}' but holds '{found}'."),
    Code("fingerprint-unverified", W, "แบบฟอร์มนี้ลงนามด้วยกุญแจ ตรวจสอบไม่ได้หากไม่ระบุ --key-file",
         "The workbook is signed with a key; it cannot be verified without --key-file."),
    Code("protection-removed", W, "การป้องกันแผ่นงานถูกปลดออก", "Sheet protection was removed."),
    Code("office-unknown", E, "ไม่พบรหัส อปท. '{code}' ในทะเบียน อปท.", "Office code '{code}' is not in the register."),
    Code("office-not-in-register", W, "ไม่พบหน่วยงานชื่อ '{found}' ในทะเบียน อปท. ชื่อที่ใกล้เคียง: {near} "
         "กรุณาตรวจสอบชื่อและกรอกรหัส อปท. ให้ถูกต้อง",
         "No office named '{found}' is in the register; the nearest names: {near}. Check the name and fill in "
         "the office code."),
    Code("office-code-of-name", W, "ไม่ได้กรอกรหัส อปท. ชื่อ '{found}' ในทะเบียนมีรหัส {offices}",
         "No office code is given; '{found}' in the register has code {offices}."),
    Code("office-name-mismatch", W, "ชื่อหน่วยงาน '{found}' ไม่ตรงกับรหัส {code} ({expected})",
         "Office name '{found}' does not match code {code} ({expected})."),
    # -- cell values
    Code("required-missing", E, "ยังไม่ได้กรอก '{label}'", "'{label_en}' is required."),
    Code("formula-in-cell", E, "เซลล์นี้มีสูตร ({formula}) กรุณาพิมพ์ค่าแทนสูตร",
         "The cell holds a formula ({formula}); type the value instead."),
    Code("error-value-in-cell", E, "เซลล์นี้แสดงค่าผิดพลาด ({value}) กรุณาพิมพ์ค่าที่ถูกต้อง",
         "The cell holds an error value ({value}); type the value instead."),
    Code("invalid-choice", E, "'{value}' ไม่อยู่ในรายการของ '{label}'", "'{value}' is not one of the choices for '{label_en}'."),
    Code("number-invalid", E, "'{value}' ไม่ใช่ตัวเลข ('{label}')", "'{value}' is not a number ('{label_en}')."),
    Code("choice-typed", I, "'{value}' ไม่ได้เลือกจากรายการของ '{label}' อ่านได้เป็น '{parsed}' กรุณาเลือกจากรายการ",
         "'{value}' was typed or pasted, not chosen from the list of '{label_en}'; read as '{parsed}'. "
         "Choose it from the dropdown."),
    Code("number-typed-as-text", I, "'{value}' พิมพ์เป็นข้อความ อ่านได้เป็น {parsed}",
         "'{value}' was typed as text; read as {parsed}."),
    Code("number-out-of-range", E, "{value} อยู่นอกช่วงที่กำหนด ({range}) ('{label}')",
         "{value} is outside the allowed range ({range}) ('{label_en}')."),
    Code("number-too-precise", E, "{value} มีทศนิยมเกิน {places} ตำแหน่ง ('{label}')",
         "{value} has more than {places} decimals ('{label_en}')."),
    Code("score-out-of-range", E, "คะแนน {value} ต้องอยู่ระหว่าง 0 ถึง 100", "Score {value} must be between 0 and 100."),
    Code("grade-mismatch", E, "ระดับ {grade} ไม่ตรงกับคะแนนรวม {score} ตามเกณฑ์ ITA {year} (ควรเป็น {expected})",
         "Rating {grade} does not match the total score {score} under the ITA {year} rules (expected {expected})."),
    Code("grade-mismatch-provisional", W,
         "ระดับ {grade} ไม่ตรงกับคะแนนรวม {score} ตามเกณฑ์ ITA {year} ที่ยังไม่ยืนยัน (ตามเกณฑ์นี้ควรเป็น {expected}) "
         "กรุณาตรวจสอบกับผลที่ ป.ป.ช. ประกาศ",
         "Rating {grade} does not match the total score {score} under the ITA {year} rules, which are provisional "
         "(they give {expected}); check it against the rating the NACC published."),
    Code("total-mismatch", W, "คะแนนรวม {total} ไม่ตรงกับคะแนนรายตัวชี้วัด (คำนวณได้ {computed})",
         "Total score {total} does not match the indicator scores (computed {computed})."),
    Code("indicator-score-missing", W, "ยังไม่ได้กรอกคะแนนตัวชี้วัดที่ {numbers}",
         "Indicator scores are missing for indicator(s) {numbers}."),
    Code("weak-indicator-without-measure", W,
         "ตัวชี้วัดที่ {numbers} ได้คะแนนต่ำกว่า {below} (เกณฑ์ผ่าน {pass_mark}) แต่ไม่มีมาตรการใดสำหรับตัวชี้วัดนี้",
         "Indicator(s) {numbers} scored under {below}, far below the pass mark ({pass_mark}), "
         "and no measure addresses them."),
    Code("plan-misses-weak-indicators", W,
         "ทุกมาตรการมุ่งที่ตัวชี้วัดที่ผ่านเกณฑ์แล้ว แต่ตัวชี้วัดที่ {numbers} ได้คะแนนต่ำกว่าเกณฑ์ผ่าน ({pass_mark})",
         "Every measure addresses an indicator that already passed, while indicator(s) {numbers} scored below "
         "the pass mark ({pass_mark})."),
    Code("assessed-year", E, "ปีที่ประเมิน ITA ควรเป็น {expected} (ปีงบประมาณ {fiscal_year} − 1) ไม่ใช่ {found}",
         "The assessed ITA year should be {expected} (fiscal year {fiscal_year} − 1), not {found}."),
    Code("date-invalid", E, "'{value}' ไม่ใช่วันที่ ('{label}')", "'{value}' is not a date ('{label_en}')."),
    Code("date-typed-as-text", I, "วันที่ '{value}' พิมพ์เป็นข้อความ อ่านได้เป็น {parsed}",
         "The date '{value}' was typed as text; read as {parsed}."),
    Code("date-be-year-as-ce", W,
         "วันที่ {value} ถูกบันทึกด้วยปี พ.ศ. ในตำแหน่งปี ค.ศ. (โปรแกรมแสดงเป็นปี {shown}) อ่านได้เป็น {parsed}",
         "The date {value} was entered with a B.E. year where the application expects C.E. "
         "(it shows year {shown}); read as {parsed}."),
    Code("date-short-be-year", W,
         "วันที่ถูกเก็บเป็นปี ค.ศ. 19{short} (พิมพ์ปี พ.ศ. 2 หลัก '{short}') อ่านเป็น {parsed} ตรวจสอบวันที่อีกครั้ง",
         "The date was stored as {value}: a 2-digit B.E. year ('{short}') taken as 19{short}; read as {parsed}."),
    Code("date-outside-fiscal-year", E, "วันที่ {value} อยู่นอกปีงบประมาณ {fiscal_year} ({start} – {end})",
         "Date {value} is outside fiscal year {fiscal_year} ({start} – {end})."),
    Code("date-order", E, "วันสิ้นสุด {end} อยู่ก่อนวันเริ่ม {start}", "End date {end} is before start date {start}."),
    Code("measures-none", E, "ยังไม่มีมาตรการในแผ่นงาน '{name}'", "No measures were entered on sheet '{name}'."),
    Code("numbering-repeated", E, "ลำดับ {number} ใช้ซ้ำ: มาตรการ '{measure}' ใช้ลำดับนี้แล้ว",
         "Number {number} is used twice: the measure '{measure}' has it already."),
    Code("numbering-gap", W, "ลำดับไม่ต่อเนื่อง: คาดว่าเป็น {expected} แต่พบ {found}",
         "Numbering is not sequential: expected {expected}, found {found}."),
    Code("duplicate-text", W, "ข้อความใน '{label}' ซ้ำกับของมาตรการลำดับ {other} (คัดลอกมาวางหรือไม่)",
         "The text of '{label_en}' repeats that of measure {other} (pasted twice?)."),
    Code("near-duplicate-text", W, "ข้อความใน '{label}' เกือบเหมือนของมาตรการลำดับ {other} (คล้ายกันร้อยละ {similarity}) "
         "คัดลอกมาแก้เล็กน้อยหรือไม่",
         "The text of '{label_en}' is nearly the same as that of measure {other} ({similarity}% alike): pasted and "
         "lightly edited?"),
    Code("placeholder-text", W, "ข้อความดูเหมือนคำอธิบายหรือช่องว่างของแบบฟอร์มที่ยังไม่ได้แก้ไข: '{value}'",
         "The text looks like a leftover instruction or blank to fill in: '{value}'."),
    # -- progress reports
    Code("done-without-result", E, "สถานะแล้วเสร็จ แต่ยังไม่ได้กรอกผลการดำเนินการ",
         "Status is done but no result is given."),
    Code("status-not-done-with-date", W,
         "สถานะเป็น '{status}' แต่กรอกวันที่แล้วเสร็จ ({date}) ไว้ สถานะหรือวันที่ไม่ถูกต้อง",
         "The status is '{status}', but a completion date ({date}) is given: the status or the date is wrong."),
    Code("status-done-result-under-way", W,
         "สถานะเป็นดำเนินการแล้วเสร็จ แต่ผลการดำเนินการบอกว่ายังอยู่ระหว่างดำเนินการ: '{value}'",
         "The status is done, but the result says the work is still under way: '{value}'."),
    Code("status-done-result-vague", W, "สถานะแล้วเสร็จ แต่ผลการดำเนินการไม่ได้ระบุว่าทำอะไร ('{value}') และไม่มีลิงก์หลักฐาน "
         "ควรระบุสิ่งที่ดำเนินการ",
         "Marked done, but the result names nothing done ('{value}') and no evidence is linked; say what was done."),
    Code("status-not-done-result-finished", W,
         "สถานะเป็น '{status}' แต่ผลการดำเนินการบอกว่าแล้วเสร็จ: '{value}'",
         "The status is '{status}', but the result says the work is finished: '{value}'."),
    Code("done-without-date", E, "สถานะแล้วเสร็จ แต่ยังไม่ได้กรอกวันที่ดำเนินการแล้วเสร็จ",
         "Status is done but no completion date is given."),
    Code("in-progress-without-result", E, "สถานะอยู่ระหว่างดำเนินการ แต่ยังไม่ได้กรอกผลการดำเนินการ",
         "Status is in progress but no result is given."),
    Code("date-after-report", E, "วันที่แล้วเสร็จ {value} อยู่หลังวันที่รายงาน {report}",
         "Completion date {value} is after the report date {report}."),
    Code("date-outside-round", E, "วันที่แล้วเสร็จ {value} อยู่นอกรอบ {round} เดือน ({start} – {end})",
         "Completion date {value} is outside the {round}-month round ({start} – {end})."),
    Code("report-before-round-end", E, "วันที่รายงาน {value} อยู่ก่อนสิ้นสุดรอบ ({end})",
         "Report date {value} is before the end of the round ({end})."),
    Code("url-invalid", E, f"'{{value}}' ไม่ใช่ลิงก์ที่ถูกต้อง ต้อง{Url.rule_th}",
         f"'{{value}}' is not a valid link; it must {Url.rule_en}."),
    Code("all-done-on-report-date", W, "ทุกมาตรการแล้วเสร็จในวันที่รายงาน ({value}) ตรวจสอบวันที่อีกครั้ง",
         "Every measure is done on the report date itself ({value}); check the dates."),
    # -- what the text says
    Code("date-in-text-outside-fiscal-year", W,
         "ข้อความกล่าวถึง '{value}' ซึ่งอยู่นอกปีงบประมาณ {fiscal_year} ({start} – {end}) ตรวจสอบปีอีกครั้ง",
         "The text names '{value}', outside fiscal year {fiscal_year} ({start} – {end}); check the year."),
    Code("date-in-text-outside-round", W,
         "ข้อความกล่าวถึง '{value}' ซึ่งอยู่หลังสิ้นรอบ ๖ เดือน ({end}) รายงานรอบนี้ควรกล่าวถึงสิ่งที่ทำแล้วในรอบ",
         "The text names '{value}', after the end of the 6-month round ({end}); the report covers the round."),
    Code("date-in-text-after-report", W, "ข้อความกล่าวถึง '{value}' ซึ่งอยู่หลังวันที่รายงาน ({report})",
         "The text names '{value}', after the report date ({report})."),
    Code("prepared-date-outside-fiscal-year", W,
         "วันที่จัดทำ {value} ไม่อยู่ในช่วงของปีงบประมาณ {fiscal_year} ({start} – {end}) ตรวจสอบปีอีกครั้ง",
         "The preparation date {value} does not fit fiscal year {fiscal_year} ({start} – {end}); check the year."),
    Code("text-other-script", W, "มีอักษรของภาษาอื่นปนในข้อความ: '{chars}' ในคำ '{word}'",
         "Letters of another script in the text: '{chars}' in '{word}'."),
    Code("text-nikhahit", W, "พบ ํ (นิคหิต) ที่ควรเป็น ำ หรือ ์ ในคำ '{word}'",
         "A lone ํ (nikhahit) where ำ or ์ belongs, in '{word}'."),
    Code("text-markup", W, "มีเครื่องหมายที่หลงมาจากการคัดลอก ({found}) กรุณาลบออก",
         "Markup left over from copying ({found}); remove it."),
    Code("text-mixed-code", I, "'{found}' ปนอักษรละตินกับเลขไทย (ควรเป็น '{suggest}')",
         "'{found}' mixes Latin letters and Thai digits (write '{suggest}')."),
    Code("text-numbering", W, "ลำดับข้อในข้อความซ้ำหรือเริ่มใหม่: {sequence}",
         "The numbered steps in the text repeat or start again: {sequence}"),
    Code("responsible-holds-steps", W, "ช่องผู้รับผิดชอบมีขั้นตอนการดำเนินการ ('{value}') ควรระบุเพียงหน่วยงานหรือตำแหน่ง",
         "The responsible-unit cell holds steps ('{value}'); name only the unit or position."),
    Code("monitoring-only-date", W, "ช่องการติดตามผลมีเพียงวันที่ ('{value}') ควรระบุวิธีรายงานและติดตาม",
         "The monitoring cell holds only a date ('{value}'); say how progress is reported and followed up."),
    Code("measure-reads-as-result", W, "ชื่อมาตรการอ่านเหมือนผลการดำเนินการ ('{value}') อาจกรอกผิดช่อง",
         "The measure reads as a result ('{value}'); was it typed into the wrong column?"),
    Code("issue-reads-as-result", W, "ประเด็นที่ต้องปรับปรุงอ่านเหมือนผลการดำเนินการ ('{value}') อาจกรอกผิดช่อง",
         "The issue reads as a result ('{value}'); was it typed into the wrong column?"),
    Code("monitoring-repeats-plan", W, "ช่องการติดตามผลซ้ำกับช่อง '{column}' ('{value}') ควรระบุวิธีรายงานและติดตามผล",
         "The monitoring cell only repeats the '{column_en}' column ('{value}'); say how progress is reported "
         "and followed up."),
    Code("text-numbering-late-start", W, "ลำดับข้อเริ่มที่ข้อ {first} ไม่ใช่ข้อ 1: {sequence} ข้อแรกหายไปหรือไม่",
         "The numbered steps start at {first}, not 1: {sequence}; is the first step missing?"),
    Code("text-cut-off", W, "ข้อความจบที่คำว่า '{word}' ('{ending}') ข้อความส่วนท้ายหายไปหรือไม่",
         "The text stops on '{word}' ('{ending}'): is the rest of the sentence missing?"),
    Code("template-example-left-in", W, "ข้อความนี้เป็นตัวอย่างจากคำชี้แจงของแบบฟอร์ม ('{value}') กรุณากรอกข้อมูลของหน่วยงาน",
         "This is the template guide's example ('{value}'); write the office's own."),
    Code("text-past-fiscal-year", W, "'{found}' ระบุปีงบประมาณ {year} ในแผนของปีงบประมาณ {fiscal_year} "
         "คัดลอกมาจากแผนปีก่อนหรือไม่",
         "'{found}' names fiscal year {year} in the plan of {fiscal_year}: carried over from an older plan?"),
    Code("evidence-other-office-site", W, "ลิงก์หลักฐานชี้ไปที่เว็บไซต์ {site} แต่ลิงก์อื่น {count} รายการชี้ไปที่ {main} "
         "เป็นเว็บไซต์ของหน่วยงานอื่นหรือไม่",
         "The evidence link points to {site}, while {count} others point to {main}: another office's site?"),
    Code("done-result-is-a-deadline", W,
         "สถานะแล้วเสร็จ แต่ผลการดำเนินการระบุเพียงกำหนดเวลา ('{value}') ควรระบุสิ่งที่ทำแล้วและวันที่",
         "Marked done, but the result only sets a deadline ('{value}'); say what was done and when."),
    Code("text-other-office", W,
         "ข้อความกล่าวถึง '{found}' ({name} จังหวัด{province}) ไม่ใช่{own} คัดลอกมาจากเอกสารของหน่วยงานอื่นหรือไม่",
         "The text names '{found}' ({name}, {province}), not {own}: copied from another office's document?"),
    Code("text-office-title-misspelt", W, "'{found}' สะกดผิด ควรเป็น '{expected}'",
         "'{found}' is misspelt: the title is '{expected}'."),
    Code("text-other-office-type", W,
         "ข้อความกล่าวถึง '{found}' ซึ่งเป็นของ{kind} แต่หน่วยงานนี้เป็น{own} คัดลอกมาจากเอกสารของหน่วยงานอื่นหรือไม่",
         "The text names '{found}', which belongs to a {kind}, not to this {own}: copied from another office's document?"),
    Code("text-doubled-word", W, "พิมพ์คำซ้ำติดกัน: '{found}'", "A word is typed twice in a row: '{found}'."),
    Code("text-place-misspelt", W, "'{found}' สะกดต่างจากทะเบียน อปท. ('{expected}')",
         "'{found}' is spelt differently from the register ('{expected}')."),
    Code("result-matches-another-measure", W,
         "ผลการดำเนินการไม่เกี่ยวกับมาตรการในแถวนี้ แต่ตรงกับมาตรการลำดับ {number} ('{measure}') กรอกผิดแถวหรือไม่",
         "The result says nothing of this row's measure but matches measure {number} ('{measure}'): "
         "typed under the wrong measure?"),
    Code("text-misspelt", W, "คำที่น่าจะสะกดผิด: {words}", "Likely misspelt: {words_en}."),
    Code("text-spelling", W, "คำที่ไม่พบในพจนานุกรม: {words}{hint} ตรวจสอบการสะกด",
         "Words found in no dictionary: {words}{hint_en}; check the spelling."),
    Code("merged-over-input", E, "มีการผสานเซลล์ {range} ทับช่องที่ต้องกรอก กรุณายกเลิกการผสานเซลล์ หรือใช้แบบฟอร์มใหม่",
         "Cells {range} were merged over input cells, hiding what they hold; unmerge them or use a new template."),
    Code("text-invalid-character", E, "ข้อความในช่องนี้มีอักขระที่ไม่ใช่ตัวอักษร ({codes}) อาจเกิดจากการคัดลอกมาจากที่อื่น "
         "กรุณาพิมพ์ข้อความนี้ใหม่",
         "The text holds characters that are not text ({codes}), probably from a broken copy; type it again."),
    Code("text-too-long", W, "ข้อความยาว {length} ตัวอักษร เกินกว่าที่ Excel แสดงได้ในเซลล์เดียว ({limit})",
         "The text is {length} characters long, more than one Excel cell holds ({limit})."),
)

CATALOGUE: dict[str, Code] = {c.slug: c for c in _CODES}


# After one of these a workbook is not an intact itaxl workbook: what it says must not be
# carried into a new workbook or rendered as a published report.
INTEGRITY_CODES = frozenset({
    "not-itaxl", "unknown-kind", "unknown-schema-version", "framework-unknown", "framework-mismatch",
    "sheet-missing", "metadata-edited",
    "locked-cell-changed", "locked-row-deleted", "locked-row-inserted", "locked-rows-reordered",
})


def breaks_integrity(problem: Problem) -> bool:
    """Whether ``problem`` means the workbook is unreadable or not the workbook itaxl wrote."""
    return problem.code in INTEGRITY_CODES or problem.code.startswith(("file-", "zip-", "xml-"))


QUOTE_LIMIT = 60
"""How many characters of a cell a message quotes; a longer value ends in "…"."""


def excerpt(text: str) -> str:
    """A cell's text as a message quotes it: on one line, at most :data:`QUOTE_LIMIT` characters."""
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_LIMIT else text[:QUOTE_LIMIT - 3] + "…"


def make(code: str, file: str, sheet: str | None = None, cell: str | None = None, /, **params: Any) -> Problem:
    """Build the Problem for a catalogued code, filling its message templates."""
    spec = CATALOGUE[code]
    given = dict(params)
    params.setdefault("label_en", params.get("label", ""))
    return Problem(spec.severity, code, file, sheet, cell,
                   spec.th.format(**params), spec.en.format(**params), given)


def markdown_table() -> str:
    """The README's table of problem codes (``python -m itaxl.problems`` prints it)."""
    lines = ["| code | severity | meaning |", "|---|---|---|"]
    lines += [f"| `{c.slug}` | {c.severity.value} | {c.en} |" for c in CATALOGUE.values()]
    return "\n".join(lines)


def update_readme(path: str) -> None:
    """Rewrite the table between the README's ``problem-codes`` markers."""
    import re
    from pathlib import Path

    readme = Path(path)
    text = readme.read_text("utf-8")
    block = f"<!-- problem-codes:start -->\n{markdown_table()}\n<!-- problem-codes:end -->"
    readme.write_text(re.sub(r"<!-- problem-codes:start -->.*?<!-- problem-codes:end -->", lambda _: block, text,
                             flags=re.S), "utf-8")


if __name__ == "__main__":  # pragma: no cover
    import sys

    if len(sys.argv) > 1:
        update_readme(sys.argv[1])
    else:
        print(markdown_table())
