#!/usr/bin/env python3
"""Writes the LibreOffice inputs (flat ODS, .fods) for the roster layout
tests from the roster template (tests/golden/roster-template.csv), then has
LibreOffice itself write every file the tests read. See README.md here for
what each file is and the exact soffice commands (this script runs them).

Run from the repository root:  python3 tests/data/real-files/make.py
"""
import csv
import os
import subprocess
import sys
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
TEMPLATE = os.path.join(ROOT, "tests", "golden", "roster-template.csv")

with open(TEMPLATE, encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
HEAD, DATA = rows[0], rows[1:]
NCOL = len(HEAD)
col = {h: i for i, h in enumerate(HEAD)}


def is_num(v):
    try:
        float(v)
        return True
    except ValueError:
        return False


def cell(v, span=1, rows=1, formula=None):
    """One <table:table-cell>; numbers as floats, empty as an empty cell."""
    attrs = ""
    if span > 1:
        attrs += f' table:number-columns-spanned="{span}"'
    if rows > 1:
        attrs += f' table:number-rows-spanned="{rows}"'
    if formula:
        attrs += f' table:formula="{escape(formula)}"'
    if v == "" or v is None:
        return f"<table:table-cell{attrs}/>"
    if isinstance(v, (int, float)) or is_num(v):
        x = float(v)
        shown = str(int(x)) if x == int(x) else str(x)
        return f'<table:table-cell{attrs} office:value-type="float" office:value="{shown}"><text:p>{shown}</text:p></table:table-cell>'
    return f'<table:table-cell{attrs} office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'


COVERED = "<table:covered-table-cell/>"


def row(cells):
    return "<table:table-row>" + "".join(cells) + "</table:table-row>"


def plain(values):
    return row(cell(v) for v in values)


def table(name, body):
    return f'<table:table table:name="{escape(name)}">' + "".join(body) + "</table:table>"


def document(tables):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
        'office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
        "<office:body><office:spreadsheet>" + "".join(tables) + "</office:spreadsheet></office:body></office:document>\n"
    )


def title_row(text, width):
    return row([cell(text, span=width)] + [COVERED] * (width - 1))


def letter(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


TITLE = "示例区2024学年义务教育学校基本情况统计表"
HELP = [
    ["填表说明"],
    ["1. 每所学校每个学段一行；九年一贯制学校的小学部与初中部各占一行。"],
    ["2. 教学仪器设备值以万元计。"],
]

# 1. A title row (merged across the table) and a blank row above the header.
title = table("花名册", [title_row(TITLE, NCOL), plain([""]), plain(HEAD)] + [plain(r) for r in DATA])

# 2. A two-row header: group headings merged over several columns, names
#    merged down over both rows, units in brackets, names statistics forms use.
GROUPS = [  # (group heading, [(lower name, template column)])
    (None, [("学校标识码", "学校代码")]),
    (None, [("学校名称", "学校名称")]),
    (None, [("学段", "学段")]),
    (None, [("城乡", "城乡")]),
    (None, [("学区/集团", "学区/集团")]),
    ("各年级在校学生数（人）", [(g + "年级", g + "年级学生数") for g in "一二三四五六七八九"]),
    (None, [("班级数（个）", "班级数")]),
    ("教师（人）", [("专任教师", "专任教师数"), ("高于规定学历教师数", "高于规定学历教师数"), ("县级以上骨干教师数", "县级以上骨干教师数"),
                ("体育艺术专任教师数", "体育艺术专任教师数"), ("高级职称教师数", "高级职称教师数")]),
    ("办学条件", [("教学及辅助用房面积（平方米）", "教学及辅助用房面积(平方米)"), ("体育运动场馆面积（平方米）", "体育运动场馆面积(平方米)"),
              ("教学仪器设备值（万元）", "教学仪器设备值(元)"), ("网络多媒体教室数（间）", "网络多媒体教室数"), ("学位数", "学位数")]),
    ("学校发展项目", [(h, h) for h in ["新优质学校", "新优质认定年份", "强校工程实验校", "结对学校", "创新项目状态", "创新项目立项年份"]]),
    (None, [("对口初中", "对口初中")]),
]
ORDER = [src for _, cols in GROUPS for _, src in cols]
assert sorted(ORDER) == sorted(HEAD), set(HEAD) ^ set(ORDER)


def two_row_header(with_number):
    upper, lower = [], []
    if with_number:
        upper.append(cell("序号", rows=2))
        lower.append(COVERED)
    for group, cols in GROUPS:
        if group is None:
            upper.append(cell(cols[0][0], rows=2))
            lower.append(COVERED)
        else:
            upper += [cell(group, span=len(cols))] + [COVERED] * (len(cols) - 1)
            lower += [cell(name) for name, _ in cols]
    return [row(upper), row(lower)]


def official_values(r):
    out = []
    for src in ORDER:
        v = r[col[src]]
        if src == "教学仪器设备值(元)" and v:
            v = float(v) / 10000  # the header says 万元
        out.append(v)
    return out


two_row = table("花名册", two_row_header(False) + [plain(official_values(r)) for r in DATA])

# 3. A totals row (sums as formulas, with their values) and a note under the table.
first, last = 2, 1 + len(DATA)
totals = ["合计"] + [""] * (NCOL - 1)
sums = []
for i, h in enumerate(HEAD):
    numeric = [float(r[i]) for r in DATA if r[i] and is_num(r[i])]
    if i >= col["一年级学生数"] and i <= col["学位数"] and numeric:
        sums.append(cell(sum(numeric), formula=f"of:=SUM([.{letter(i)}{first}:.{letter(i)}{last}])"))
    elif i == 0:
        sums.append(cell("合计"))
    else:
        sums.append(cell(""))
totals_t = table("花名册", [plain(HEAD)] + [plain(r) for r in DATA] + [row(sums), plain([""]), plain(["注：数据截至2024年9月30日。"])])

# 4. Two sheets holding a roster (one a year): the planner chooses.
older = [r[:] for r in DATA if r[0] != "S003"]  # S003 opened in 2024
for r in older:
    if r[col["结对学校"]] == "S003":
        r[col["结对学校"]], r[col["强校工程实验校"]] = "", "否"
    for i in range(col["一年级学生数"], col["九年级学生数"] + 1):
        if r[i]:
            r[i] = str(int(float(r[i])) - 3)
two_sheets = [table("2023学年", [plain(HEAD)] + [plain(r) for r in older]), table("2024学年", [plain(HEAD)] + [plain(r) for r in DATA])]

# 5. All of it: a title and a note row, a two-row header with a 序号 column,
#    a row numbering the columns, a totals row, a note, and a help sheet.
numbers = ["甲"] + ["乙"] + [str(k) for k in range(1, NCOL)]
data5 = [[str(k + 1)] + official_values(r) for k, r in enumerate(DATA)]
W = NCOL + 1
tot5 = [cell(""), cell("合计")]
for i, src in enumerate(ORDER[1:], start=2):
    vals = [float(r[i]) for r in data5 if r[i] != "" and is_num(str(r[i]))]
    lo, hi = 6, 5 + len(DATA)
    if ORDER[i - 1] in HEAD[col["一年级学生数"]: col["学位数"] + 1] and vals:
        tot5.append(cell(sum(vals), formula=f"of:=SUM([.{letter(i)}{lo}:.{letter(i)}{hi}])"))
    else:
        tot5.append(cell(""))
official = [
    table(
        "基本情况",
        [title_row(TITLE, W), plain(["填报单位：示例区教育局", "", "", "", "", "", "", "", "", "", "统计时间：2024年9月"])]
        + two_row_header(True)
        + [plain(numbers)]
        + [plain(r) for r in data5]
        + [row(tot5), plain(["注：教学仪器设备值以万元计。"])],
    ),
    table("填表说明", [plain(r) for r in HELP]),
]

SOURCES = {
    "title-row": [title],
    "two-row-header": [two_row],
    "totals-row": [totals_t],
    "two-sheets": two_sheets,
    "official": official,
}

src = os.path.join(HERE, "src")
os.makedirs(src, exist_ok=True)
for name, tables in SOURCES.items():
    with open(os.path.join(src, name + ".fods"), "w", encoding="utf-8") as f:
        f.write(document(tables))

# LibreOffice writes every file the tests read. A private profile keeps it
# from touching the user's; the commands are the README's.
import tempfile
env = dict(os.environ, HOME=tempfile.mkdtemp(prefix="youjun-lo-"))
CSV_IN = "Text - txt - csv (StarCalc):44,34,76,1"


def soffice(*args):
    cmd = ["soffice", "--headless", *args]
    print(" ".join(repr(a) if " " in a else a for a in cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)


for name in SOURCES:
    soffice("--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", HERE, os.path.join(src, name + ".fods"))

# The template in the encodings bureaus save: UTF-8 without BOM (76),
# GB18030 (85), and UTF-16 LE with BOM, tab-separated (65535: Excel's
# "Unicode text"); the official form as GB18030 CSV too.
tmp = os.path.join(src, "template.csv")
with open(TEMPLATE, "rb") as f, open(tmp, "wb") as g:
    g.write(f.read())
for out, filt in [
    ("template-utf8.csv", "csv:Text - txt - csv (StarCalc):44,34,76"),
    ("template-gb18030.csv", "csv:Text - txt - csv (StarCalc):44,34,85"),
    ("template-utf16le.txt", "txt:Text - txt - csv (StarCalc):9,34,65535"),
]:
    d = os.path.join(src, "out")
    soffice("--infilter=" + CSV_IN, "--convert-to", filt, "--outdir", d, tmp)
    produced = os.path.join(d, "template." + filt.split(":")[0])
    os.replace(produced, os.path.join(HERE, out))
d = os.path.join(src, "out")
soffice("--convert-to", "csv:Text - txt - csv (StarCalc):44,34,85", "--outdir", d, os.path.join(src, "official.fods"))
os.replace(os.path.join(d, "official.csv"), os.path.join(HERE, "official-gb18030.csv"))
os.rmdir(d)
os.remove(tmp)
# iconv, a second real program: GBK (the subset Windows calls code page
# 936), from the template without its byte-order mark (GBK has none).
cmd = f"tail -c +4 '{TEMPLATE}' | iconv -f UTF-8 -t GBK > '{os.path.join(HERE, 'template-gbk-iconv.csv')}'"
print(cmd, file=sys.stderr)
subprocess.run(cmd, shell=True, check=True)
