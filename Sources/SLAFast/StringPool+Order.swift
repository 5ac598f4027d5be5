/// Byte order on interned strings, for sorting rows by id without building `String`s.
extension StringPool {
    /// Byte-order comparison of two interned strings (`.none` = "" sorts first).
    package func precedes(_ a: StrID, _ b: StrID) -> Bool {
        if a == b { return false }
        if a < 0 { return true }
        if b < 0 { return false }
        return withBytes(a) { x in withBytes(b) { y in x.lexicographicallyPrecedes(y) } }
    }
}
