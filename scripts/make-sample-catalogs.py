#!/usr/bin/env python3
"""Writes the sample catalogs in catalogs/: invented Thanh Hoa producers with valid GTINs under 893.

Run once by hand when the samples change (needs openpyxl: Debian python3-openpyxl); the files it
writes are committed. Each file shows one way real sheets arrive: English headers, Vietnamese
headers with ';' and CRLF and a byte-order mark, NFD text, an Excel workbook with date and number cells.
"""
import csv, datetime, io, os, unicodedata
import openpyxl

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "catalogs")


def gtin13(body12: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body12)))
    return body12 + str((10 - total % 10) % 10)


EN = ["product_code", "name", "gtin", "producer", "producer_type", "tax_id", "commune", "district", "province",
      "ocop_group", "ocop_stars", "ocop_decision", "ocop_recognized_on", "price_vnd", "unit", "weight_g",
      "shelf_life_days", "description", "images", "stock", "package_cm"]
VI = ["Mã sản phẩm", "Tên sản phẩm", "Mã vạch (GTIN)", "Chủ thể", "Loại hình", "Mã số thuế", "Xã", "Huyện", "Tỉnh",
      "Nhóm sản phẩm", "Hạng sao", "Số quyết định", "Ngày công nhận", "Giá bán", "Quy cách", "Khối lượng (g)",
      "Hạn sử dụng (ngày)", "Mô tả", "Hình ảnh", "Tồn kho", "Kích thước đóng gói (cm)"]

nem = ("HTX Chế biến Nem chua Xuân Lập", "cooperative", "2801876543", "Xuân Lập", "Thọ Xuân", "Thanh Hóa")
nem_rows = [
    ["NC-500", "Nem chua Thanh Hóa hộp 500g", gtin13("893876500001"), *nem, "1", "4", "1234/QĐ-UBND", "2024-06-12",
     "85000", "hộp 500g", "500", "7",
     "Nem chua làm từ thịt lợn nạc tươi, bì lợn, thính gạo và lá ổi.\nBảo quản ngăn mát 0-5°C; dùng ngon nhất sau 3 ngày lên men.",
     "https://images.example.vn/nem-chua/nc-500-1.jpg|https://images.example.vn/nem-chua/nc-500-2.jpg", "320"],
    ["NC-300-LO", "Nem chua lá ổi túi 300g", gtin13("893876500002"), *nem, "1", "3", "1234/QĐ-UBND", "2024-06-12",
     "52.000", "túi 20 chiếc", "300", "7", "Nem chua gói lá ổi, vị chua dịu, \"đặc sản xứ Thanh\"; ăn kèm tỏi, ớt.",
     "https://images.example.vn/nem-chua/nc-300.jpg", "540"],
    ["CT-250", "Chả tôm Thanh Hóa hộp 250g", gtin13("893876500003"), *nem, "Thực phẩm", "", "", "",
     "120,000", "hộp 250g", "250", "5", "Chả tôm nướng than hoa, ăn kèm dưa góp.", "", "80"],
    ["NC-CHAY", "Nem chay thính gạo 250g", "", *nem, "1", "", "", "", "45.000đ", "túi 250g", "250", "5",
     "Nem chay từ bì đậu và thính gạo rang.", "", "150"],
]

mam = ("Công ty TNHH Mắm tép Hậu Lộc", "Doanh nghiệp", "2802123456", "Hòa Lộc", "Hậu Lộc", "Thanh Hóa")
mam_rows = [
    ["MT-200", "Mắm tép Hậu Lộc hũ thủy tinh 200g", gtin13("893912340011"), *mam, "Thực phẩm", "4 sao", "3456/QĐ-UBND",
     "15/09/2024", "65.000 ₫", "hũ 200g", "200", "365",
     "Mắm tép làm từ tép biển tươi, muối hạt và thính; ủ chượp truyền thống 6 tháng.", "", "1.200"],
    ["MT-THIT", "Mắm tép chưng thịt ba chỉ 180g", gtin13("893912340012"), *mam, "1", "3", "3456/QĐ-UBND",
     "15/09/2024", "79.000 ₫", "hũ 180g", "180", "180", "Mắm tép chưng thịt ba chỉ, sả, ớt; ăn ngay với cơm nóng.",
     "", "600"],
    ["NM-40", "Nước mắm cá cơm 40 độ đạm chai 500ml", gtin13("893912340013"), *mam, "1", "5", "789/QĐ-BNN",
     "20/11/2023", "150.000 ₫", "chai 500ml", "650", "720",
     "Nước mắm nhĩ cá cơm, 40 độ đạm, không chất bảo quản.", "", "400"],
    ["RUOC-100", "Ruốc tôm biển 100g", "", *mam, "", "", "", "", "48.000 ₫", "hũ 100g", "100", "180",
     "Ruốc tôm khô, sợi tơi.", "", "250"],
]

duoc = ("HTX Dược liệu Lũng Cao", "HTX", "2801999888", "Lũng Cao", "Bá Thước", "Thanh Hóa")
duoc_rows = [
    ["TGCL-100", "Trà giảo cổ lam Bá Thước hộp 100g", gtin13("893800770001"), *duoc, 3, 4, "2210/QĐ-UBND",
     datetime.date(2023, 12, 5), 120000, "hộp 100g", 100, 540,
     "Giảo cổ lam trồng dưới tán rừng Pù Luông, sấy lạnh.", "", 90],
    ["CLX-250", "Cao lá xông người Dao 250ml", gtin13("893800770002"), *duoc, "Dược liệu và sản phẩm từ dược liệu", 3,
     "2210/QĐ-UBND", datetime.date(2023, 12, 5), 95000, "chai 250ml", 300, 730,
     "Cao lá xông từ 18 loại lá rừng theo bài thuốc người Dao.", "", 60],
    ["RML-500", "Rượu men lá Lũng Cao chai 500ml", gtin13("893800770003"), *duoc, 2, 3, "2211/QĐ-UBND",
     datetime.date(2023, 12, 5), 110000, "chai 500ml", 800, 1095, "Rượu gạo nếp nương ủ men lá rừng, 29 độ.", "", 45],
    ["MO-RUNG", "Mật ong rừng Pù Luông 500ml", "", *duoc, 1, None, None, None, 250000, "chai 500ml", 700, 730,
     "Mật ong hoa rừng tự nhiên, thu hoạch tháng 4.", "", 30],
]

may = ("Tổ hợp tác Mây tre đan Hoằng Thịnh", "Tổ hợp tác", "", "Hoằng Thịnh", "Hoằng Hóa", "Thanh Hóa")
may_rows = [
    ["GM-TRON-30", "Giỏ mây tròn đan tay đường kính 30cm", gtin13("893555010001"), *may, "4", "3", "4567/QĐ-UBND",
     "10/05/2025", "180000", "chiếc", "450", "", "Giỏ mây đan thủ công, quai tre, dùng đựng hoa quả.", "", "35"],
    ["KT-CN", "Khay tre chữ nhật 2 tầng", gtin13("893555010002"), *may, "Thủ công mỹ nghệ", "", "", "", "220000",
     "chiếc", "700", "", "Khay tre hun khói chống mốc.", "", "20"],
    ["DEN-TRE", "Đèn ngủ tre đan họa tiết trống đồng", "", *may, "4", "4", "4567/QĐ-UBND", "10/05/2025", "350000",
     "chiếc", "900", "", "Đèn tre đan, bóng LED ấm; họa tiết trống đồng Đông Sơn.", "", "12"],
]

banh = ("Hộ kinh doanh Bánh gai Tứ Trụ Bà Hiền", "Hộ kinh doanh", "2801554433", "Thọ Diên", "Thọ Xuân", "Thanh Hóa")
banh_rows = [
    ["BG-10", "Bánh gai Tứ Trụ túi 10 chiếc", gtin13("893600880001"), *banh, "1", "4", "5678/QĐ-UBND", "2022-03-01",
     "60000", "túi 10 chiếc", "800", "5", "Bánh gai lá gai rừng, nhân đỗ xanh, dừa, lạc; gói lá chuối khô.", "", "200"],
    ["BG-CHAY", "Bánh gai chay nhân đỗ xanh túi 10 chiếc", "", *banh, "1", "", "", "", "55000", "túi 10 chiếc", "750",
     "5", "Bánh gai nhân đỗ xanh, không mỡ lợn.", "", "120"],
    ["BG-HOP-20", "Bánh gai Tứ Trụ hộp quà 20 chiếc", gtin13("893600880002"), *banh, "1", "4", "5678/QĐ-UBND",
     "2022-03-01", "130k", "hộp 20 chiếc", "1,6 kg", "5", "Hộp quà Tết, 20 bánh gai.", "", "50"],
]


# Most products have a photo online; RUOC-100 has none, so that exports show what a missing image costs.
for rows in (nem_rows, mam_rows, duoc_rows, may_rows, banh_rows):
    for row in rows:
        if not row[18] and row[0] != "RUOC-100":
            row[18] = "https://images.example.vn/ocop/" + row[0].lower() + ".jpg"


# Package sizes as cooperatives write them; KT-CN has none, so that exports show Lazada refusing it.
PACKAGE = {
    "NC-500": "20x15x6", "NC-300-LO": "22 x 16 x 5 cm", "CT-250": "18x12x5", "NC-CHAY": "20x14x4",
    "MT-200": "8x8x10", "MT-THIT": "8x8x9", "NM-40": "8 × 8 × 28", "RUOC-100": "7x7x8",
    "TGCL-100": "15x10x6", "CLX-250": "7x7x18", "RML-500": "9x9x30", "MO-RUNG": "9x9x22",
    "GM-TRON-30": "32x32x15", "DEN-TRE": "250x250x350 mm",
    "BG-10": "25x20x8", "BG-CHAY": "25x20x8", "BG-HOP-20": "35x25x10",
}
for rows in (nem_rows, mam_rows, duoc_rows, may_rows, banh_rows):
    for row in rows:
        row.append(PACKAGE.get(row[0], ""))


def sample_photo(name, width, height):
    """A small generated JPEG (cjpeg from libjpeg-turbo-progs): a local image for the exports to check and copy."""
    import subprocess
    folder = os.path.join(HERE, "images")
    os.makedirs(folder, exist_ok=True)
    pixels = bytearray()
    for y in range(height):
        for x in range(width):
            ring = ((x - width / 2) ** 2 + (y - height / 2) ** 2) ** 0.5
            weave = 40 if (x // 24 + y // 24) % 2 else 0
            pixels += bytes((min(255, 150 + weave), min(255, 110 + weave // 2), 60 if ring < width * 0.42 else 200))
    ppm = b"P6 %d %d 255\n" % (width, height) + bytes(pixels)
    jpeg = subprocess.run(["cjpeg", "-quality", "80"], input=ppm, capture_output=True, check=True).stdout
    with open(os.path.join(folder, name), "wb") as out:
        out.write(jpeg)
    return "images/" + name


may_rows[0][18] = sample_photo("gio-may-tron-30.jpg", 800, 800)


def write_csv(name, header, rows, delimiter=",", crlf=False, bom=False, nfd=False):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    text = buffer.getvalue()
    if nfd:
        text = unicodedata.normalize("NFD", text)
    with open(os.path.join(HERE, name), "wb") as out:
        out.write((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))


os.makedirs(HERE, exist_ok=True)
write_csv("htx-nem-chua-xuan-lap.csv", EN, nem_rows)
write_csv("mam-tep-hau-loc.csv", VI, mam_rows, delimiter=";", crlf=True, bom=True)
write_csv("may-tre-dan-hoang-thinh.csv", VI, may_rows, nfd=True)
write_csv("banh-gai-tu-tru.csv", EN, banh_rows)

book = openpyxl.Workbook()
sheet = book.active
sheet.title = "Sản phẩm"
sheet.append(VI)
for row in duoc_rows:
    values = list(row)
    values[2] = int(values[2]) if values[2] else None  # GTIN typed as a number, as Excel users do
    sheet.append(values)
for cell in sheet["M"][1:]:
    cell.number_format = "dd/mm/yyyy"
book.save(os.path.join(HERE, "htx-duoc-lieu-lung-cao.xlsx"))

orders = [
    ["Mã sản phẩm", "Chủ thể", "Số lô", "Số lượng tem", "Ngày sản xuất", "Hạn dùng"],
    ["NC-500", "HTX Chế biến Nem chua Xuân Lập", "NC2611A", "300", "20/11/2026", ""],
    ["NC-CHAY", "HTX Chế biến Nem chua Xuân Lập", "Lô chay 11", "100", "20/11/2026", ""],
    ["MT-200", "Công ty TNHH Mắm tép Hậu Lộc", "MT-2026-11", "400", "02/11/2026", "02/11/2027"],
    ["NM-40", "Công ty TNHH Mắm tép Hậu Lộc", "NM40-K7", "200", "15/10/2026", ""],
    ["TGCL-100", "HTX Dược liệu Lũng Cao", "TGCL-2610", "250", "01/10/2026", ""],
    ["DEN-TRE", "Tổ hợp tác Mây tre đan Hoằng Thịnh", "DT-2026-01", "50", "05/11/2026", ""],
    ["BG-10", "Hộ kinh doanh Bánh gai Tứ Trụ Bà Hiền", "BG-2211", "150", "22/11/2026", ""],
]
write_csv("don-dat-tem-2026-11.csv", orders[0], orders[1:])
print("wrote", sorted(os.listdir(HERE)))
