# ruff: noqa: E501  (the fixed words of the forms are kept whole, one sentence a line, to be compared with the annex)
"""The fixed words of each form, in one place, to be corrected against the official annex of Decree
43/2024 when it is at hand (docs/law.md §6.1: the form numbers and titles are
confirmed [C]; the fields inside them are not [NF], and follow the structure described there [I]).

Official documents are in Vietnamese whatever the user's language, so these strings are not translated.
"""

TITLE_PHRASE = {
    "peoples": "“Nghệ nhân nhân dân”",
    "excellent": "“Nghệ nhân ưu tú”",
}
FIELD = "trong lĩnh vực nghề thủ công mỹ nghệ"
DECREE = "Nghị định số 43/2024/NĐ-CP ngày 19 tháng 4 năm 2024 của Chính phủ"

DECLARATION = {
    "form": {"peoples": "Mẫu số 01", "excellent": "Mẫu số 02"},
    "title": "BẢN KHAI THÀNH TÍCH",
    "summary": "Đề nghị xét tặng danh hiệu {title} {field}",
    "round": "(Lần thứ {round})",
    "sections": {
        "person": "I. SƠ LƯỢC TIỂU SỬ",
        "periods": "II. QUÁ TRÌNH HÀNH NGHỀ",
        "works": "III. SẢN PHẨM, TÁC PHẨM",
        "awards": "IV. GIẢI THƯỞNG, HUY CHƯƠNG, BẰNG KHEN",
        "trainees": "V. TRUYỀN NGHỀ, ĐÀO TẠO NGƯỜI HÀNH NGHỀ",
        "titles": "VI. DANH HIỆU ĐÃ ĐƯỢC PHONG TẶNG",
    },
    "person_fields": [
        ("full_name", "Họ và tên"),
        ("gender", "Giới tính"),
        ("date_of_birth", "Ngày, tháng, năm sinh"),
        ("ethnicity", "Dân tộc"),
        ("cccd", "Số Căn cước công dân / Căn cước"),
        ("address", "Nơi thường trú"),
        ("craft", "Nghề đang hành nghề"),
        ("years_in_craft", "Số năm hành nghề"),
    ],
    "date_of_death": "Ngày mất",
    "periods": ["STT", "Từ ngày", "Đến ngày", "Nơi hành nghề"],
    "works": [
        "STT",
        "Tên sản phẩm, tác phẩm",
        "Ngày hoàn thành",
        "Làm sau khi được phong tặng NNƯT",
        "Mô tả",
    ],
    "awards": ["STT", "Cuộc thi, hoạt động", "Đơn vị tổ chức", "Giải", "Cấp", "Ngày", "Tác phẩm"],
    "trainees": ["STT", "Số người", "Từ ngày", "Đến ngày", "Khóa học, địa điểm, tài liệu chứng minh"],
    "trainees_total": "Tổng số người đã truyền nghề: {total}",
    "titles": ["STT", "Danh hiệu", "Số quyết định", "Ngày quyết định"],
    "none": "Không có.",
    "pledge": "Tôi xin cam đoan những nội dung kê khai trên là đúng sự thật và chịu trách nhiệm trước pháp luật.",
    "signer": {"self": "NGƯỜI KHAI", "posthumous": "NGƯỜI ĐẠI DIỆN HỢP PHÁP"},
    "sign_hint": "(Ký, ghi rõ họ tên)",
    "prefilled": "Bản khai do Sở Công Thương lập sẵn từ hồ sơ đã nộp; đề nghị cá nhân kiểm tra, sửa nếu cần và ký.",
}

SUMMARY = {
    "form": {"peoples": "Mẫu số 09", "excellent": "Mẫu số 10"},
    "title": "TÓM TẮT THÀNH TÍCH",
    "summary": "Cá nhân đề nghị được xét tặng danh hiệu {title} {field}",
    "fields": [
        ("full_name", "Họ và tên"),
        ("birth_year", "Năm sinh"),
        ("gender", "Giới tính"),
        ("craft", "Nghề"),
        ("province", "Tỉnh, thành phố"),
        ("years_in_craft", "Số năm hành nghề"),
        ("works_count", "Số sản phẩm, tác phẩm đã kê khai"),
        ("trainees_total", "Số người đã truyền nghề"),
    ],
    "posthumous": "Đề nghị truy tặng",
    "awards": ["STT", "Giải thưởng", "Cuộc thi, hoạt động", "Cấp", "Năm"],
    "titles": "Danh hiệu đã được phong tặng",
}

SUBMISSION = {
    "form": "Mẫu số 03",
    "type": "TỜ TRÌNH",
    "summary": "Về việc đề nghị xét tặng danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú” {field} lần thứ {round}",
    "body": (
        "Thực hiện {decree} quy định chi tiết về xét tặng danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú” "
        "{field}, {council} đã xem xét {considered} hồ sơ và bỏ phiếu kín theo quy định."
    ),
    "proposes": "{council} kính đề nghị xem xét, xét tặng danh hiệu cho {total} cá nhân, cụ thể:",
    "count_line": "Danh hiệu “{title}”: {proposed} cá nhân (trong đó truy tặng: {posthumous})",
    "attached": "(Có danh sách kèm theo theo Mẫu số 04 và hồ sơ của từng cá nhân.)",
    "ending": "Kính trình xem xét, quyết định./.",
}

LIST = {
    "form": "Mẫu số 04",
    "type": "DANH SÁCH",
    "summary": "Cá nhân đề nghị xét tặng danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú” lần thứ {round}",
    "attached_to": "(Kèm theo Tờ trình số {number} {date})",
    "number_blank": "……/TTr-……",
    "date_blank": "ngày …… tháng …… năm ……",
    "columns": [
        "STT",
        "Họ và tên",
        "Năm sinh",
        "Giới tính",
        "Nghề",
        "Tỉnh, thành phố",
        "Số phiếu đồng ý / tổng số thành viên",
        "Tỷ lệ",
        "Ghi chú",
    ],
    "group": "Danh hiệu {title}",
    "posthumous": "Truy tặng",
    "code": "Hồ sơ {code}",
}

MINUTES = {
    "form": "Mẫu số 05",
    "type": "BIÊN BẢN",
    "summary": "Họp {council} lần thứ {round}",
    "opening": "Vào lúc {time}, {day}, tại {place}, {council} họp xét tặng danh hiệu.",
    "chair": "Chủ trì: {name}.",
    "secretary": "Thư ký: {name}.",
    "attendance": "Thành viên Hội đồng có mặt: {present}/{members} người: {names}.",
    "absent": "Thành viên vắng mặt: {names}.",
    "no_absent": "Thành viên vắng mặt: không.",
    "quorum": "Số thành viên có mặt: {quorum}",
    "content": "Nội dung: Hội đồng đã xem xét {n} hồ sơ, thảo luận và bỏ phiếu kín. Kết quả như sau:",
    "columns": ["STT", "Họ và tên", "Danh hiệu đề nghị", "Đồng ý", "Không đồng ý", "Kết quả"],
    "passed": "Đạt",
    "failed": "Không đạt",
    "ending": "Cuộc họp kết thúc vào {time}, {day}.",
    "judgement": "Hồ sơ chưa đáp ứng đủ tiêu chuẩn có thể kiểm tra, được đề nghị Hội đồng xem xét, đánh giá:",
    "judgement_row": "{name}: {reason}",
    "withdrawals": "Thành viên đề nghị rút khai báo xung đột lợi ích:",
    "withdrawal_row": "{member}, đối với hồ sơ của {name}, đề nghị lúc {asked_at}, lý do: “{reason}”, {outcome}",
    "withdrawal_accepted": "được Thư ký Hội đồng {by} chấp nhận lúc {at}",
    "withdrawal_refused": "bị Thư ký Hội đồng {by} không chấp nhận lúc {at}, thành viên không bỏ phiếu hồ sơ này",
    "withdrawal_pending": "chưa được Thư ký Hội đồng xem xét, thành viên không bỏ phiếu hồ sơ này",
    "withdrawal_note": " (ghi chú: {note})",
}

COUNT = {
    "form": "Mẫu số 06",
    "type": "BIÊN BẢN KIỂM PHIẾU",
    "summary": "Xét tặng danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú” lần thứ {round}",
    "opening": "Hôm nay, {day}, Ban kiểm phiếu của {council} gồm: {counters} đã tiến hành kiểm phiếu.",
    "rule": "Tiêu chuẩn đạt: {rule}.",
    "columns": [
        "STT",
        "Họ và tên",
        "Danh hiệu",
        "Thành viên theo danh sách",
        "Có mặt",
        "Không bỏ phiếu (xung đột lợi ích)",
        "Phiếu thu về",
        "Đồng ý",
        "Không đồng ý",
        "Tỷ lệ đồng ý",
        "Kết quả",
    ],
    "ending": "Biên bản kiểm phiếu được lập và thông qua ngay sau khi kết thúc việc kiểm phiếu.",
}

BALLOT = {
    "form": {"peoples": "Mẫu số 07", "excellent": "Mẫu số 08"},
    "type": "PHIẾU BẦU",
    "summary": "Về việc xét tặng danh hiệu {title} {field}",
    "round": "{council}, lần thứ {round}, phiên họp {day}",
    "how": "Thành viên Hội đồng đánh dấu (X) vào một ô “Đồng ý” hoặc “Không đồng ý” đối với từng cá nhân.",
    "columns": ["STT", "Họ và tên", "Năm sinh", "Nghề", "Tỉnh, thành phố", "Đồng ý", "Không đồng ý"],
}

COUNCIL_DECISION = {
    "type": "QUYẾT ĐỊNH",
    "summary": "Về việc thành lập {council} lần thứ {round}",
    "article_1": "Thành lập {council} {field} lần thứ {round}, gồm các ông (bà) có tên sau:",
    "members": ["STT", "Họ và tên", "Chức vụ, đơn vị công tác", "Chức danh trong Hội đồng"],
    "article_2": (
        "Hội đồng có nhiệm vụ xem xét hồ sơ, bỏ phiếu kín và đề nghị xét tặng theo quy định của {decree}. "
        "Hội đồng làm việc theo nguyên tắc tập thể, tự giải thể sau khi hoàn thành nhiệm vụ."
    ),
    "article_3": "Giúp việc cho Hội đồng là {secretariat}. Hội đồng được sử dụng con dấu của {seal}.",
    "article_4": "Quyết định này có hiệu lực kể từ ngày ký. Các thành viên Hội đồng và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.",
}

SUPPLEMENT_LETTER = {
    "about": "V/v bổ sung hồ sơ đề nghị xét tặng danh hiệu",
    "addressee": "{honorific} {name}",
    "received": "Ngày {received}, {issuer} nhận được hồ sơ đề nghị xét tặng danh hiệu {title} của {honorific} {name}{code}.",
    "code": " (mã hồ sơ {code})",
    "missing": "Qua kiểm tra, hồ sơ chưa đầy đủ, hợp lệ. Đề nghị {honorific} bổ sung, hoàn thiện các nội dung sau:",
    "reason": "Ý kiến của cơ quan tiếp nhận: {reason}",
    "deadline": (
        "Trong thời hạn {days} ngày kể từ ngày nhận lại hồ sơ (ngày {returned}), tức là chậm nhất ngày {due}, "
        "đề nghị {honorific} hoàn thiện và nộp lại hồ sơ cho {issuer}. Quá thời hạn trên, hồ sơ có thể không được xem xét."
    ),
    "ending": "{issuer} thông báo để {honorific} biết và thực hiện./.",
}

RESULT_NOTICE = {
    "type": "THÔNG BÁO",
    "summary": "Kết quả xét chọn của {council} lần thứ {round}",
    "intro": "Căn cứ điểm d Điều 14 {decree}, {council} thông báo kết quả xét chọn như sau:",
    "columns": ["STT", "Họ và tên", "Năm sinh", "Nghề", "Danh hiệu đề nghị", "Tỷ lệ phiếu đồng ý"],
    "period": "Thời gian đăng công khai: {days} ngày, kể từ ngày {posted} đến hết ngày {last}.",
    "period_unknown": "Thời gian đăng công khai: kể từ ngày {posted} đến hết ngày {last}, theo Kế hoạch xét tặng của Ủy ban nhân dân cấp tỉnh.",
    "date_blank": "……/……/……",
    "comments": "Ý kiến góp ý bằng văn bản, có chữ ký, ghi rõ họ tên, số điện thoại, địa chỉ liên hệ, gửi về {address}./.",
    "address_unknown": "cơ quan thường trực Hội đồng",
    "postal": "{address} (địa chỉ: {postal})",
    "online": "{address} hoặc gửi trực tuyến tại {url}",
}

POSTING_NOTICE = {
    "about": "V/v đăng công khai danh sách cá nhân đề nghị xét tặng danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú” lần thứ {round}",
    "intro": (
        "Thực hiện quy định tại {article} {decree}, {issuer} đề nghị đăng công khai danh sách cá nhân đề nghị "
        "xét tặng danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú” lần thứ {round} để lấy ý kiến của Nhân dân, gồm:"
    ),
    "count_line": "Danh hiệu “{title}”: {proposed} cá nhân (trong đó truy tặng: {posthumous})",
    "period": "Thời gian đăng công khai: {days} ngày, kể từ ngày {posted} đến hết ngày {last}.",
    "comments": (
        "Ý kiến góp ý bằng văn bản, có chữ ký, ghi rõ họ tên, số điện thoại, địa chỉ liên hệ, gửi về {address}."
    ),
    "columns": ["STT", "Họ và tên", "Năm sinh", "Nghề", "Tỉnh, thành phố", "Danh hiệu đề nghị", "Ghi chú"],
    "ending": "Trân trọng./.",
}

DECISION_RECORD = {
    "type": "THÔNG BÁO",
    "summary": "Quyết định của Chủ tịch nước tặng danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú” lần thứ {round}",
    "intro": "Ngày {date}, Chủ tịch nước đã ký Quyết định số {number} tặng (truy tặng) danh hiệu cho {total} cá nhân có tên sau:",
    "columns": ["STT", "Họ và tên", "Năm sinh", "Nghề", "Tỉnh, thành phố", "Danh hiệu", "Ghi chú"],
    "ending": "Bộ Công Thương thông báo để các cơ quan, đơn vị và cá nhân có liên quan biết, phối hợp tổ chức lễ công bố./.",
}
