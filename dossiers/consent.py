"""The consent to the processing of personal data that the artisan gives at intake (Law 91/2025/QH15 on
personal data protection, Decree 356/2025/NĐ-CP). The text and its version live here and nowhere else:
the receiving page shows this text, the officer confirms the artisan consented, and a ConsentRecord keeps
the version (and the text's SHA-256), the time and the officer.

Changing the text means a new version string (a new month or a new -vN); records keep the old one. The
text is the legal wording in Vietnamese and is shown as is in both languages of the interface.
"""

import hashlib

CONSENT_VERSION = "2026-12-v1"

CONSENT_TEXT = """\
Mục đích: tiếp nhận, thẩm định và xét tặng danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú” trong lĩnh \
vực nghề thủ công mỹ nghệ theo Nghị định số 43/2024/NĐ-CP.
Dữ liệu được xử lý: họ và tên, giới tính, ngày sinh, dân tộc (dữ liệu cá nhân nhạy cảm), số Căn cước \
công dân/Căn cước, nơi thường trú, nghề, quá trình hành nghề, tác phẩm, giải thưởng, học trò, danh hiệu \
đã có, ảnh giấy tờ tùy thân và các tài liệu trong hồ sơ.
Ai được xem: cán bộ tiếp nhận của Sở Công Thương và chuyên viên Bộ Công Thương xem số định danh và dân \
tộc, mỗi lần xem đều được ghi lại; thành viên Hội đồng xét tặng các cấp xem hồ sơ thành tích nhưng không \
xem số định danh, dân tộc; khi danh sách được công khai lấy ý kiến, công chúng chỉ thấy họ tên, danh hiệu \
đề nghị, nghề, tỉnh và tóm tắt thành tích.
Thời gian lưu trữ: trong suốt quá trình xét tặng, sau đó theo thời hạn lưu trữ hồ sơ thi đua, khen \
thưởng do pháp luật về lưu trữ quy định; số định danh và dân tộc được mã hóa khi lưu trữ.
Quyền của chủ thể dữ liệu theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15: được biết về việc xử lý, \
đồng ý hoặc rút lại sự đồng ý, xem, chỉnh sửa và nhận bản sao dữ liệu của mình, yêu cầu xóa hoặc hạn chế \
xử lý trong phạm vi pháp luật cho phép, phản đối việc xử lý, khiếu nại, tố cáo và yêu cầu bồi thường \
thiệt hại. Rút lại sự đồng ý có thể làm dừng việc xét tặng."""

CONSENT_TEXT_SHA256 = hashlib.sha256(CONSENT_TEXT.encode("utf-8")).hexdigest()
