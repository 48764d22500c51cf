"""The fixed part of the demo data: agencies, procedures, accounts, names."""

PROVINCE = 19  # Thái Nguyên (Bắc Kạn merged into it on 01/07/2025)

AGENCIES = [
    # code, name, kind, address, phone
    (
        "000.00.15.H55",
        "Sở Thông tin và Truyền thông",
        "department",
        "Số 10 đường Nguyễn Văn Cừ, Phường Phan Đình Phùng, Thái Nguyên",
        "02083851234",
    ),
    (
        "000.00.18.H55",
        "Sở Văn hóa, Thể thao và Du lịch",
        "department",
        "Số 5 đường Đội Cấn, Phường Phan Đình Phùng, Thái Nguyên",
        "02083852345",
    ),
    (
        "VNP.H55.001",
        "Bưu điện tỉnh – Quầy Trung tâm Phục vụ hành chính công",
        "post_office",
        "Số 2 đường Hoàng Văn Thụ, Phường Phan Đình Phùng, Thái Nguyên",
        "02083853456",
    ),
    (
        "VNP.H55.002",
        "Bưu điện khu vực Bắc Kạn",
        "post_office",
        "Số 1 đường Trường Chinh, Phường Bắc Kạn, Thái Nguyên",
        "02093870123",
    ),
    (
        "000.10.15.H55",
        "Trung tâm Công nghệ thông tin và Truyền thông",
        "it_unit",
        "Số 10 đường Nguyễn Văn Cừ, Phường Phan Đình Phùng, Thái Nguyên",
        "02083859876",
    ),
    (
        "000.00.00.H55",
        "Ủy ban nhân dân tỉnh Thái Nguyên",
        "leadership",
        "Số 18 đường Nha Trang, Phường Phan Đình Phùng, Thái Nguyên",
        "02083855678",
    ),
]
DEPT, DEPT2, PO, PO2, IT, LEAD = (a[0] for a in AGENCIES)

USERS = [
    # username, full name, role, agency code
    ("it_admin", "Hoàng Minh Tuấn", "it_admin", IT),
    ("dept_admin", "Nguyễn Thị Thu Hà", "dept_admin", DEPT),
    ("po_supervisor", "Trần Văn Đức", "po_supervisor", PO),
    ("po_clerk", "Lê Thị Thuận", "po_clerk", PO),
    ("viewer", "Phạm Quốc Khánh", "viewer", LEAD),
    ("dept_admin2", "Đặng Văn Hùng", "dept_admin", DEPT2),
    ("po_clerk2", "Bùi Thị Lan", "po_clerk", PO2),
]
# Counter tablets (accounts that open the rating screen only): username, name, agency, clerk.
KIOSKS = [("kiosk1", "Máy tính bảng quầy 1", PO, "po_clerk")]

_DOCS_PUBLISH = [
    ("Đơn đề nghị cấp giấy phép xuất bản tài liệu không kinh doanh", "original", 1),
    ("Tài liệu đề nghị cấp phép xuất bản (02 bản in)", "original", 2),
    ("Bản sao giấy chứng nhận đăng ký kinh doanh hoặc quyết định thành lập", "copy", 1),
]
_DOCS_POSTAL = [
    ("Đơn đề nghị cấp giấy phép bưu chính", "original", 1),
    ("Bản sao giấy chứng nhận đăng ký doanh nghiệp", "certified_copy", 1),
    ("Điều lệ tổ chức và hoạt động của doanh nghiệp", "copy", 1),
    ("Phương án kinh doanh", "original", 1),
    ("Mẫu hợp đồng cung ứng và sử dụng dịch vụ bưu chính", "original", 1),
]
_EXTRA_PUBLISH = [
    ("so_luong_ban_in", "Số lượng bản in", "number", True, None),
    ("kho_giay", "Khổ giấy", "choice", True, "A4\nA5\n14,5 x 20,5 cm"),
    ("ngay_phat_hanh", "Ngày dự kiến phát hành", "date", False, None),
]

PROCEDURES = [
    # code, name, field, agency, days, fee (VND), online level, by post, documents, extra fields
    (
        "1.004477",
        "Cấp giấy phép xuất bản tài liệu không kinh doanh",
        "Xuất bản, In và Phát hành",
        DEPT,
        10,
        0,
        "toan_trinh",
        True,
        _DOCS_PUBLISH,
        _EXTRA_PUBLISH,
    ),
    (
        "1.004436",
        "Cấp giấy phép xuất bản bản tin (địa phương)",
        "Báo chí",
        DEPT,
        15,
        0,
        "mot_phan",
        True,
        [
            ("Tờ khai đề nghị cấp giấy phép xuất bản bản tin", "original", 1),
            ("Mẫu trình bày tên gọi bản tin", "original", 1),
        ],
        [],
    ),
    (
        "1.003725",
        "Cấp giấy phép hoạt động in",
        "Xuất bản, In và Phát hành",
        DEPT,
        10,
        0,
        "mot_phan",
        True,
        [
            ("Đơn đề nghị cấp giấy phép hoạt động in", "original", 1),
            ("Bản sao giấy chứng nhận đăng ký doanh nghiệp", "copy", 1),
            ("Danh mục thiết bị in", "original", 1),
        ],
        [],
    ),
    (
        "2.001631",
        "Cấp giấy phép bưu chính (phạm vi nội tỉnh)",
        "Bưu chính",
        DEPT,
        20,
        1_250_000,
        "mot_phan",
        True,
        _DOCS_POSTAL,
        [],
    ),
    (
        "1.002008",
        "Văn bản xác nhận thông báo hoạt động bưu chính",
        "Bưu chính",
        DEPT,
        7,
        0,
        "toan_trinh",
        True,
        [("Thông báo hoạt động bưu chính", "original", 1)],
        [],
    ),
    (
        "2.000815.000.00.00.H55",
        "Cấp giấy phép sử dụng tần số vô tuyến điện cho đài truyền thanh không dây",
        "Tần số vô tuyến điện",
        DEPT,
        10,
        500_000,
        "none",
        True,
        [("Bản khai đề nghị cấp giấy phép sử dụng tần số", "original", 1)],
        [
            ("tan_so", "Tần số đề nghị (MHz)", "number", True, None),
            ("cong_suat", "Công suất phát (W)", "number", True, None),
        ],
    ),
    (
        "1.005453",
        "Cấp lại giấy xác nhận đăng ký hoạt động phát hành xuất bản phẩm",
        "Xuất bản, In và Phát hành",
        DEPT,
        0,
        0,
        "toan_trinh",
        True,
        [("Đơn đề nghị cấp lại giấy xác nhận", "original", 1)],
        [],
    ),
    (
        "1.001029",
        "Cấp giấy phép kinh doanh dịch vụ karaoke",
        "Văn hóa",
        DEPT2,
        5,
        4_000_000,
        "mot_phan",
        True,
        [
            ("Đơn đề nghị cấp giấy phép", "original", 1),
            ("Giấy chứng nhận đủ điều kiện an toàn phòng cháy", "copy", 1),
        ],
        [],
    ),
    (
        "1.009397",
        "Cấp giấy phép tổ chức biểu diễn nghệ thuật",
        "Nghệ thuật biểu diễn",
        DEPT2,
        5,
        0,
        "toan_trinh",
        False,
        [("Văn bản đề nghị tổ chức biểu diễn", "original", 1)],
        [("dia_diem", "Địa điểm biểu diễn", "text", True, None)],
    ),
]

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hà",
    "Ma",
    "Nông",
    "Triệu",
    "Lường",
]
MIDDLE_M = ["Văn", "Đức", "Quốc", "Minh", "Hữu", "Thành", "Công"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Kim", "Thị Thu"]
GIVEN_M = [
    "Thuận",
    "Đức",
    "Hùng",
    "Dũng",
    "Tuấn",
    "Khánh",
    "Sơn",
    "Phúc",
    "Quang",
    "Long",
    "Trường",
]
GIVEN_F = [
    "Hà",
    "Lan",
    "Hương",
    "Thảo",
    "Ngân",
    "Yến",
    "Trang",
    "Hạnh",
    "Duyên",
    "Nhung",
    "Thủy",
]
STREETS = [
    "Số {n} đường Hoàng Văn Thụ",
    "Số {n} đường Lương Ngọc Quyến",
    "Tổ {n}",
    "Thôn Nà {n}",
    "Số {n} đường Quang Trung",
    "Xóm {n}",
    "Số {n} ngõ 12 đường Bắc Kạn",
]
ORGANISATIONS = [
    ("Công ty TNHH In Thái Nguyên", "0100109106"),
    ("Công ty Cổ phần Truyền thông Bắc Kạn", "4700123452"),
    ("Hợp tác xã Du lịch Ba Bể", None),
]
