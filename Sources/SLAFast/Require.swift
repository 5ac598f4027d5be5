/// A check that stays in every build. SLAFast is compiled with `-Ounchecked`, which drops
/// `precondition`; its safe entry points check their arguments with this instead, so a bad
/// argument stops the program rather than reading or writing out of bounds.
@inlinable @inline(__always)
func require(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID,
    line: UInt = #line
) {
    if !condition() { fatalError(message(), file: file, line: line) }
}
