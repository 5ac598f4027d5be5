import SLAFast
import SLAModel

/// The text of the partial stage's state files (`slareport partial` writes them, `merge` reads
/// them): one fact per line, a tag then fields split by single spaces; numbers in decimal;
/// strings as names: `-` for none (`.none`), else `=` and the string's bytes with `\`, space,
/// newline and carriage return written `\\`, `\s`, `\n`, `\r` (a name never holds a space).
/// Read and written on bytes: the figures of a year are a hundred MB of text, and parsing
/// them through `String`s took longer than the metrics.
package enum PartialText {}

/// A failure to read a partial's text: the line (1-based) and what is wrong.
public struct PartialFormatError: Error, Sendable {
    public var line: Int
    public var message: String
}

extension PartialText {
    /// Appends lines of partial text.
    package struct Writer {
        package var out = OutputBuffer(capacity: 1 << 16)

        package init() {}

        /// Starts a line: its tag.
        package mutating func tag(_ t: StaticString) { out.append(t) }

        package mutating func int(_ v: Int64) {
            out.append(byte: UInt8(ascii: " "))
            out.append(int: Int(v))
        }

        package mutating func int(_ v: Int) { int(Int64(v)) }

        package mutating func ints<S: Sequence>(_ values: S) where S.Element == Int64 {
            for v in values { int(v) }
        }

        /// A pool string as a name field (`.none`: `-`).
        package mutating func name(_ id: StrID, _ pool: StringPool) {
            out.append(byte: UInt8(ascii: " "))
            if id == .none {
                out.append(byte: UInt8(ascii: "-"))
            } else {
                pool.withBytes(id) { escaped($0) }
            }
        }

        /// A string as a name field (nil: `-`).
        package mutating func name(_ s: String?) {
            out.append(byte: UInt8(ascii: " "))
            guard var s else {
                out.append(byte: UInt8(ascii: "-"))
                return
            }
            s.withUTF8 { escaped(UnsafeRawBufferPointer($0)) }
        }

        /// `=` and the bytes, escaped.
        mutating func escaped(_ b: UnsafeRawBufferPointer) {
            out.append(byte: UInt8(ascii: "="))
            for c in b {
                switch c {
                case UInt8(ascii: "\\"): out.append("\\\\")
                case UInt8(ascii: " "): out.append("\\s")
                case UInt8(ascii: "\n"): out.append("\\n")
                case UInt8(ascii: "\r"): out.append("\\r")
                default: out.append(byte: c)
                }
            }
        }

        package mutating func endLine() { out.append(byte: UInt8(ascii: "\n")) }

        /// A whole line of numbers: the tag, a period, the values.
        package mutating func counts<S: Sequence>(_ t: StaticString, _ period: Int, _ values: S)
        where S.Element == Int64 {
            tag(t)
            int(period)
            ints(values)
            endLine()
        }

        /// A whole line of plain text (a header line).
        package mutating func line(_ s: String) {
            out.append(s)
            endLine()
        }
    }

    /// Reads lines of partial text, field by field.
    package struct Reader {
        let bytes: [UInt8]
        /// The current line's number (1-based; 0 before the first).
        package private(set) var line = 0
        /// The cursor in the current line, the line's end (its newline or the end) and the start
        /// of the next line.
        private var pos = 0
        private var end = 0
        private var next = 0

        package init(_ bytes: [UInt8]) { self.bytes = bytes }

        /// Moves to the next line; false at the end of the text, or (with `before`) when the next
        /// line starts with that word followed by a space (that line is left unread).
        package mutating func nextLine(before word: StaticString? = nil) -> Bool {
            guard next < bytes.count else { return false }
            if let word, startsWith(word, at: next) { return false }
            pos = next
            var e = pos
            while e < bytes.count && bytes[e] != UInt8(ascii: "\n") { e += 1 }
            end = e
            next = e + 1
            line += 1
            return true
        }

        private func startsWith(_ word: StaticString, at i: Int) -> Bool {
            word.withUTF8Buffer { w in
                guard i + w.count < bytes.count, bytes[i + w.count] == UInt8(ascii: " ") else { return false }
                for k in 0..<w.count where bytes[i + k] != w[k] { return false }
                return true
            }
        }

        package var atLineEnd: Bool { pos >= end }

        package func error(_ message: String) -> PartialFormatError { PartialFormatError(line: line, message: message) }

        /// The next field's bytes (the cursor moves past it and its space).
        private mutating func field() throws(PartialFormatError) -> Range<Int> {
            guard pos < end else { throw error("a field is missing") }
            let start = pos
            while pos < end && bytes[pos] != UInt8(ascii: " ") { pos += 1 }
            let r = start..<pos
            if pos < end { pos += 1 }
            return r
        }

        /// Is the line's first field `t`? (Consumed when it is.)
        package mutating func tag(_ t: StaticString) -> Bool {
            let save = pos
            guard let f = try? field() else { return false }
            let same = t.withUTF8Buffer { w in
                w.count == f.count && zip(w, bytes[f]).allSatisfy { $0 == $1 }
            }
            if !same { pos = save }
            return same
        }

        /// The line's next field as text (for messages).
        package mutating func word() throws(PartialFormatError) -> String {
            String(decoding: bytes[try field()], as: UTF8.self)
        }

        package mutating func int() throws(PartialFormatError) -> Int64 {
            let f = try field()
            var i = f.lowerBound
            let negative = i < f.upperBound && bytes[i] == UInt8(ascii: "-")
            if negative { i += 1 }
            func bad() -> PartialFormatError { error("not a number: \(String(decoding: bytes[f], as: UTF8.self))") }
            guard i < f.upperBound, f.upperBound - i <= 19 else { throw bad() }
            // Accumulated below zero: Int64.min (a missing timestamp) has no positive twin.
            var v: Int64 = 0
            while i < f.upperBound {
                let d = bytes[i] &- UInt8(ascii: "0")
                guard d < 10 else { throw bad() }
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (n, o2) = m.subtractingReportingOverflow(Int64(d))
                guard !o1 && !o2 else { throw bad() }
                v = n
                i += 1
            }
            if negative { return v }
            guard v != .min else { throw bad() }
            return -v
        }

        package mutating func int() throws(PartialFormatError) -> Int { Int(try int() as Int64) }

        /// Every number left on the line.
        package mutating func rest() throws(PartialFormatError) -> [Int64] {
            // Sized exactly (one field per space left, plus one): a year's durations are millions
            // of numbers, and a doubled buffer's slack would be kept.
            var fields = pos < end ? 1 : 0
            for i in pos..<end where bytes[i] == UInt8(ascii: " ") { fields += 1 }
            var out: [Int64] = []
            out.reserveCapacity(fields)
            while !atLineEnd { out.append(try int()) }
            return out
        }

        /// A name field, unescaped into `scratch`; nil for `-`.
        private mutating func nameBytes(_ scratch: inout [UInt8]) throws(PartialFormatError) -> Bool {
            let f = try field()
            if f.count == 1 && bytes[f.lowerBound] == UInt8(ascii: "-") { return false }
            guard f.count >= 1, bytes[f.lowerBound] == UInt8(ascii: "=") else {
                throw error("a name must be - or start with =")
            }
            scratch.removeAll(keepingCapacity: true)
            var i = f.lowerBound + 1
            while i < f.upperBound {
                let c = bytes[i]
                i += 1
                guard c == UInt8(ascii: "\\") else {
                    scratch.append(c)
                    continue
                }
                guard i < f.upperBound else { throw error("a name ends in \\") }
                switch bytes[i] {
                case UInt8(ascii: "\\"): scratch.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "s"): scratch.append(UInt8(ascii: " "))
                case UInt8(ascii: "n"): scratch.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "r"): scratch.append(UInt8(ascii: "\r"))
                default: throw error("bad escape in a name")
                }
                i += 1
            }
            return true
        }

        private var scratch: [UInt8] = []

        /// A name field interned into `pool` (`.none` for `-`).
        package mutating func name(_ pool: StringPool) throws(PartialFormatError) -> StrID {
            var s = scratch
            defer { scratch = s }
            guard try nameBytes(&s) else { return .none }
            // Safe: the buffer is s's own storage, read only during the call.
            return s.withUnsafeBytes { pool.intern($0) }
        }

        /// A name field as a string (nil for `-`).
        package mutating func string() throws(PartialFormatError) -> String? {
            var s = scratch
            defer { scratch = s }
            guard try nameBytes(&s) else { return nil }
            return String(decoding: s, as: UTF8.self)
        }
    }
}
