import SLAFast

/// Read order of a row: (rank of its file among the table's files sorted by base name, then full
/// path) << 32 | record index. Greater = read later. Used only for dedup tie-breaks (SPEC 2.5).
public typealias ReadSeq = Int64
