/// Policies that cannot be computed: a column they need (start, stop or due) is absent from the
/// header of every file of their table — a ticket export without `first_response_at` must not
/// show every ticket as breached. A table without any file is not a reason (its policies are
/// simply empty).
public enum SkippedPolicies {
    public struct Entry: Sendable, Equatable {
        public var policy: String
        public var column: String

        public init(policy: String, column: String) {
            self.policy = policy
            self.column = column
        }
    }

    public static func find(config: Config, tables: [TableStats]) -> [Entry] {
        var out: [Entry] = []
        for p in config.policies {
            guard let t = tables.first(where: { $0.table == p.table }), t.files > 0 else { continue }
            for column in [p.start, p.stop] + (p.due.map { [$0] } ?? []) where !t.columns.contains(column) {
                out.append(Entry(policy: p.name, column: column))
                break
            }
        }
        return out
    }
}
