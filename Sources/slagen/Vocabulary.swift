/// The fixed words of the shop: categories, carriers, channels, ticket enums, complaint
/// categories (from the handbooks in shared/seeds), each in English and Chinese where the SPEC
/// defines both, pre-encoded as UTF-8 bytes for the writers.
enum Vocabulary {
    struct Category {
        let name: String
        let weight: Double
        /// Price range in yuan.
        let minPrice: Int
        let maxPrice: Int
        /// Phones and appliances get repair tickets; clothes get size exchanges.
        let repairable: Bool
        let sized: Bool
    }

    static let categories: [Category] = [
        Category(name: "手机", weight: 8, minPrice: 699, maxPrice: 8999, repairable: true, sized: false),
        Category(name: "家电", weight: 10, minPrice: 199, maxPrice: 6999, repairable: true, sized: false),
        Category(name: "数码配件", weight: 9, minPrice: 19, maxPrice: 899, repairable: true, sized: false),
        Category(name: "电脑办公", weight: 5, minPrice: 299, maxPrice: 9999, repairable: true, sized: false),
        Category(name: "服装", weight: 18, minPrice: 39, maxPrice: 899, repairable: false, sized: true),
        Category(name: "鞋靴", weight: 7, minPrice: 59, maxPrice: 1299, repairable: false, sized: true),
        Category(name: "美妆", weight: 11, minPrice: 29, maxPrice: 1599, repairable: false, sized: false),
        Category(name: "食品", weight: 12, minPrice: 9, maxPrice: 399, repairable: false, sized: false),
        Category(name: "母婴", weight: 7, minPrice: 19, maxPrice: 2999, repairable: false, sized: false),
        Category(name: "家居", weight: 8, minPrice: 15, maxPrice: 2599, repairable: false, sized: false),
        Category(name: "运动户外", weight: 5, minPrice: 39, maxPrice: 3999, repairable: false, sized: true),
    ]

    struct Carrier {
        let name: String
        let prefix: String
        let weight: Double
    }

    static let carriers: [Carrier] = [
        Carrier(name: "顺丰", prefix: "SF", weight: 20),
        Carrier(name: "中通", prefix: "ZT", weight: 22),
        Carrier(name: "圆通", prefix: "YT", weight: 18),
        Carrier(name: "韵达", prefix: "YD", weight: 14),
        Carrier(name: "申通", prefix: "ST", weight: 8),
        Carrier(name: "京东物流", prefix: "JD", weight: 12),
        Carrier(name: "极兔速递", prefix: "JT", weight: 4),
        Carrier(name: "EMS", prefix: "EM", weight: 2),
    ]

    /// Logistics event kinds, SPEC 2.3 order.
    static let eventEN = ["picked_up", "in_transit", "out_for_delivery", "delivered", "exception"]
    static let eventZH = ["揽收", "运输中", "派送中", "签收", "异常"]
    static let exceptionEN = ["damaged", "lost", "missing_item", "wrong_item", "false_signoff", "no_update", "other"]
    static let exceptionZH = ["破损", "丢件", "漏发", "错发", "虚假签收", "无物流更新", "其他"]
    static let exceptionWeights: [Double] = [25, 8, 10, 8, 7, 27, 15]

    static let channels = ["在线客服", "APP", "电话", "邮件", "微信公众号", "小程序"]
    static let channelWeights: [Double] = [44, 26, 14, 6, 6, 4]

    enum TicketType: Int { case inquiry = 0, ret, exchange, repair, refund, complaint }
    static let typeEN = ["inquiry", "return", "exchange", "repair", "refund", "complaint"]
    static let typeZH = ["咨询", "退货", "换货", "维修", "退款", "投诉"]

    /// Index 0 = empty (defaults to normal).
    static let priorityEN = ["", "normal", "urgent", "major"]
    static let priorityZH = ["", "普通", "紧急", "重大"]

    /// Index 0 = empty.
    static let responsibilityEN = ["", "merchant", "logistics", "customer", "platform"]
    static let responsibilityZH = ["", "商家", "物流", "用户", "平台"]
    /// The SPEC also accepts 消费者 for customer; the Chinese file uses it on some rows.
    static let responsibilityZHAlt = "消费者"

    /// Ticket categories and who is usually responsible (index into responsibilityEN).
    static let ticketCategories: [(name: String, responsible: Int)] = [
        ("物流延迟", 2),  // 0
        ("商品破损", 2),  // 1
        ("描述不符", 1),  // 2
        ("质量问题", 1),  // 3
        ("漏发", 1),  // 4
        ("错发", 1),  // 5
        ("服务态度", 4),  // 6
        ("退款问题", 4),  // 7
        ("虚假签收", 2),  // 8
        ("发货延迟", 1),  // 9
        ("七天无理由", 3),  // 10
        ("尺码不合适", 3),  // 11
        ("功能故障", 1),  // 12
        ("价格保护", 4),  // 13
        ("发票问题", 1),  // 14
        ("物流查询", 2),  // 15
        ("商品咨询", 1),  // 16
        ("售后政策", 4),  // 17
        ("未发货退款", 3),  // 18
        ("赠品未收到", 1),  // 19
    ]
    /// Survey comments and the scores they go with. Some hold ASCII commas, double quotes or a
    /// line break, so the export has to quote them.
    static let surveyComments: [(text: String, scores: ClosedRange<UInt8>)] = [
        ("发货太慢了，催了好几次", 1...2),
        ("客服回复慢,问题拖了三天才解决", 1...2),
        ("说好的\"24小时发货\"呢？", 1...2),
        ("东西坏了,换货又等了一周,很失望", 1...2),
        ("客服只会说\"亲，请耐心等待\"", 1...2),
        ("态度差", 1...2),
        ("退款到现在还没到账", 1...3),
        ("一般吧，解决了但是慢", 2...3),
        ("还行,就是物流太慢", 3...3),
        ("问题解决了\n但是沟通有点费劲", 3...3),
        ("处理结果可以接受", 3...4),
        ("客服很耐心，点赞", 4...5),
        ("处理很快,满意", 4...5),
        ("小姐姐态度很好，\"秒回\"", 5...5),
        ("非常满意！", 5...5),
        ("好评", 4...5),
        ("解决得很及时，谢谢", 4...5),
        ("换货很顺利", 4...5),
    ]

    static let logisticsDelay = 0
    static let qualityProblem = 3

    static func bytes(_ a: [String]) -> [[UInt8]] { a.map { Array($0.utf8) } }
}
