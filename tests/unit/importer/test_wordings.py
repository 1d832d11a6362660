"""Wordings met in the blind rounds, written differently, so the rules are general and not the fixtures'."""
from importer import import_document


ASSIGNMENT_WORDINGS = """ỦY BAN NHÂN DÂN HUYỆN A
Số: 10/KH-UBND
A, ngày 05 tháng 2 năm 2025
KẾ HOẠCH
Triển khai Đề án 06 năm 2025
II. NHIỆM VỤ
1. Nhóm nhiệm vụ chung
a) Rà soát dữ liệu hộ tịch đã số hóa trên địa bàn huyện. Giao cho Phòng Tư pháp thực hiện, hoàn thành trong Quý II/2025.
b) Tập huấn kỹ năng số cho cán bộ cấp xã. Phòng Văn hóa và Thông tin chủ trì, phối hợp cùng Trung tâm Văn hóa - Thể thao huyện tổ chức thực hiện; thời hạn: trước 15/3.
c) Tuyên truyền lợi ích của ứng dụng VNeID trên hệ thống truyền thanh. Giao UBND các xã, thị trấn thực hiện thường xuyên.
2. Nhóm nhiệm vụ khác
1) [Tháng 3 - tháng 5/2025] Kiểm tra việc số hóa hồ sơ tại các xã.
Đơn vị phụ trách: Văn phòng HĐND và UBND huyện.
2) Tổng kết năm thực hiện Đề án 06 - Thời gian thực hiện: tháng 12/2025.
Phụ trách: Công an huyện (đồng chí Trưởng Công an huyện); Phối hợp: Phòng Nội vụ.
"""


def test_assignment_sentences_brackets_and_person_in_charge_lines_in_other_wordings():
    draft = import_document(ASSIGNMENT_WORDINGS.encode(), "plan.txt")
    got = [(t.content[:22], t.lead, t.support, t.timing.due, t.timing.start, t.timing.recurring) for t in draft.tasks]
    assert got == [
        ("Rà soát dữ liệu hộ tịc", ["Phòng Tư pháp"], [], "2025-06-30", None, False),
        ("Tập huấn kỹ năng số ch", ["Phòng Văn hóa và Thông tin"], ["Trung tâm Văn hóa - Thể thao huyện"], "2025-03-15", None, False),
        ("Tuyên truyền lợi ích c", ["UBND các xã, thị trấn"], [], None, None, True),
        ("Kiểm tra việc số hóa h", ["Văn phòng HĐND và UBND huyện"], [], "2025-05-31", "2025-03-01", False),
        ("Tổng kết năm thực hiện", ["Công an huyện"], ["Phòng Nội vụ"], "2025-12-31", None, False),
    ]
    assert draft.tasks[-1].content == "Tổng kết năm thực hiện Đề án 06"


REPORT_WORDINGS = """ỦY BAN NHÂN DÂN XÃ B
Số: 21/BC-UBND
B, ngày 10 tháng 7 năm 2025
BÁO CÁO
Sơ kết 6 tháng đầu năm 2025 thực hiện Đề án 06 và nhiệm vụ 6 tháng cuối năm
I. TÌNH HÌNH, KẾT QUẢ TRIỂN KHAI
1. Công an xã: đã thu nhận 1.204 hồ sơ cấp căn cước, hoàn thành trước 30/4/2025.
2. Văn phòng - Thống kê: đã số hóa 96% hồ sơ; trong tháng 5/2025.
II. NHIỆM VỤ 6 THÁNG CUỐI NĂM
Nhóm II – Phục vụ phát triển kinh tế - xã hội
- Rà soát đối tượng hưởng chính sách an sinh xã hội chưa có tài khoản ngân hàng.
(Cơ quan chủ trì: Công chức Lao động - Thương binh và Xã hội;
cơ quan phối hợp: Bưu điện văn hóa xã; Thời hạn: Quý III/2025)
Nhóm III – Phục vụ phát triển công dân số
1. Công an xã chủ trì, phối hợp với Đoàn Thanh niên xã: vận động người dân kích hoạt tài khoản định danh điện tử; hằng tháng.
2. Ban Chỉ đạo thực hiện Đề án 06 xã: kiểm tra việc cập nhật dữ liệu tại các thôn; sau khi có kết quả rà soát của Công an huyện.
3. Công chức Văn hóa - Xã hội: tuyên truyền trên loa truyền thanh về ứng dụng VNeID; 6 tháng cuối năm 2025.
"""


def test_the_new_rules_in_other_wordings():
    draft = import_document(REPORT_WORDINGS.encode(), "bao-cao.txt")
    got = [(t.content[:20], t.lead, t.support, t.timing.due, t.timing.recurring, t.timing.condition) for t in draft.tasks]
    assert got == [
        ("Rà soát đối tượng hư", ["Công chức Lao động - Thương binh và Xã hội"], ["Bưu điện văn hóa xã"], "2025-09-30", False, None),
        ("vận động người dân k", ["Công an xã"], ["Đoàn Thanh niên xã"], None, True, None),
        ("kiểm tra việc cập nh", ["Ban Chỉ đạo thực hiện Đề án 06 xã"], [], None, False,
         "sau khi có kết quả rà soát của Công an huyện"),
        ("tuyên truyền trên lo", ["Công chức Văn hóa - Xã hội"], [], "2025-12-31", False, None),
    ]


def test_one_cell_with_both_roles_in_other_wordings():
    rows = [
        "| STT | Nội dung | Đơn vị thực hiện | Thời hạn |",
        "|---|---|---|---|",
        "| 1 | Số hóa sổ hộ tịch | Cơ quan chủ trì: Phòng Tư pháp; cơ quan phối hợp: UBND các xã | Tháng 9/2024 |",
        "| 2 | Cập nhật dữ liệu đất đai | Phòng Tài nguyên và Môi trường chủ trì, phối hợp với Công an huyện | Năm 2024 |",
        "| | | Chi cục Thuế | |",
    ]
    text = "KẾ HOẠCH\nSố: 3/KH-UBND\nC, ngày 02 tháng 1 năm 2024\n" + "\n".join(rows) + "\n"
    draft = import_document(text.encode(), "plan.md")
    assert [(t.lead, t.support, t.timing.due) for t in draft.tasks] == [
        (["Phòng Tư pháp"], ["UBND các xã"], "2024-09-30"),
        (["Phòng Tài nguyên và Môi trường", "Chi cục Thuế"], ["Công an huyện"], "2024-12-31"),
    ]
