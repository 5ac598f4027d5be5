import Foundation
import SLAFast
import SLAModel
import SLAReport

/// Builds the shop and its orders once, then writes the tables on parallel threads (each table
/// has its own generator streams, so the bytes do not depend on scheduling). Surveys follow the
/// tickets on their thread, as they are drawn from the finished tickets.
struct Generator {
    let cfg: GenConfig

    func run(command: String) throws -> String {
        var rng = PRNG(seed: cfg.seed, stream: 1)
        let shop = Shop(orders: cfg.orders, rng: &rng)
        var orng = PRNG(seed: cfg.seed, stream: 2)
        let book = OrderBook(count: cfg.orders, span: cfg.span, shop: shop, rng: &orng)
        let manifest = Manifest()
        manifest.fact(
            "span",
            "\(CivilDate.format(cfg.span.firstDay)) … \(cfg.endDate) (\(cfg.weeks) weeks), export cutoff \(cfg.endDate) 23:59:59 local"
        )
        manifest.fact("timezone", cfg.zone.identifier)
        let errors = Locked<Error?>(nil)
        let cfg = self.cfg
        Workers.forEach(count: 3) { job in
            do {
                switch job {
                case 0: try LogisticsWriter(cfg: cfg, orders: book, manifest: manifest).writeAll()
                case 1:
                    var trng = PRNG(seed: cfg.seed, stream: 3)
                    let tickets = TicketBook(count: cfg.tickets, span: cfg.span, shop: shop, orders: book, rng: &trng)
                    try TicketsWriter(cfg: cfg, shop: shop, orders: book, book: tickets, manifest: manifest).writeAll()
                    if cfg.surveys { try SurveysWriter(cfg: cfg, tickets: tickets, manifest: manifest).writeAll() }
                default: try OrdersWriter(cfg: cfg, shop: shop, orders: book, manifest: manifest).writeAll()
                }
            } catch {
                errors.withLock { if $0 == nil { $0 = error } }
            }
        }
        if let e = errors.withLock({ $0 }) { throw e }
        return manifest.render(command: command)
    }
}
