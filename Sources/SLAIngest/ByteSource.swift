import SLAFast
import SLAModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where raw (possibly compressed) bytes come from: a file, standard input, or memory in tests.
/// `read` fills the start of `buffer` (at most all of it) and returns how many bytes it wrote;
/// 0 means end of input.
/// A source is used by one thread at a time (the producer thread of a `BlockProducer`).
protocol ByteSource: AnyObject {
    /// The path as given, for error messages.
    var path: String { get }
    func read(into buffer: inout MutableRawSpan) throws(IngestError) -> Int
    func close()
    /// About how many bytes the input holds once inflated, when cheap to tell (a regular
    /// file's size, or a gzip's ISIZE trailer); only used to size row arrays up front.
    var decodedSizeHint: Int? { get }
}

/// A file or standard input (`"-"`), read with `read(2)` in the caller's large blocks.
///
/// A regular file that changes while it is read (a producer still writing the export, a copy in
/// progress) would give a torn snapshot: its size and mtime are taken with `fstat` when it is
/// opened and again at end of input, and any difference, or a byte count other than the size
/// at open, is `IngestError.changedDuringRead` (exit 75: try again later). Pipes and standard
/// input have no stable size and are not checked.
final class FileByteSource: ByteSource {
    let path: String
    private var fd: Int32
    private let ownsFD: Bool
    /// (size, mtime seconds, mtime nanoseconds) at open, for regular files only.
    private var openedAs: (Int, Int, Int)?
    private var bytesRead = 0

    /// Opens `path` (or takes stdin for `"-"`). A missing file is `inputMissing`, anything else
    /// that stops the open is `unreadable`. `name` (the path as the user gave it) goes into
    /// later read errors.
    init(path: String, name: String) throws(IngestError) {
        self.path = name
        if path == "-" {
            fd = 0
            ownsFD = false
            return
        }
        let f = open(path, O_RDONLY | O_CLOEXEC)
        if f < 0 {
            let e = errno
            if e == ENOENT || e == ENOTDIR { throw .inputMissing(path: path) }
            throw .unreadable(path: path, message: String(cString: strerror(e)))
        }
        fd = f
        ownsFD = true
        openedAs = Self.identity(f)
    }

    var decodedSizeHint: Int? {
        guard let (size, _, _) = openedAs, size > 0 else { return nil }
        // gzip: ISIZE, the last member's length mod 2^32, in the last 4 bytes (RFC 1952).
        // A many-member file is underestimated, which only costs the arrays a regrowth.
        var head: (UInt8, UInt8) = (0, 0)
        guard size >= 18, pread(fd, &head, 2, 0) == 2, head == (0x1F, 0x8B) else { return size }
        var tail: UInt32 = 0
        guard pread(fd, &tail, 4, off_t(size - 4)) == 4 else { return size }
        return max(size, Int(UInt32(littleEndian: tail)))
    }

    /// Size and mtime of a regular file, else nil.
    static func identity(_ fd: Int32) -> (Int, Int, Int)? {
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return (Int(st.st_size), Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec))
    }

    func read(into buffer: inout MutableRawSpan) throws(IngestError) -> Int {
        while true {
            // Safe: read(2) writes at most `count` bytes from `baseAddress`, the span's own.
            let n = buffer.withUnsafeMutableBytes { b in Glibc.read(fd, b.baseAddress, b.count) }
            assert(n <= buffer.byteCount, "read(2) returned more than asked")
            if n > 0 { bytesRead += n }
            if n == 0, let before = openedAs {
                // End of input: the file must be the one we opened, unchanged.
                let after = Self.identity(fd)
                if after == nil || after! != before || bytesRead != before.0 {
                    throw .changedDuringRead(path: path)
                }
            }
            if n >= 0 { return n }
            let e = errno
            if e == EINTR { continue }
            throw .unreadable(path: path, message: String(cString: strerror(e)))
        }
    }

    func close() {
        if ownsFD && fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
    }

    deinit { close() }
}

/// Bytes held in memory, handed out at most `chunkSize` at a time, so tests can check that
/// every chunking of the same input gives the same records.
final class MemoryByteSource: ByteSource {
    let path: String
    private let bytes: [UInt8]
    private let chunkSize: Int
    private var position = 0

    init(bytes: [UInt8], name: String, chunkSize: Int) {
        self.bytes = bytes
        self.path = name
        self.chunkSize = max(1, chunkSize)
    }

    var decodedSizeHint: Int? { nil }

    func read(into buffer: inout MutableRawSpan) throws(IngestError) -> Int {
        let n = min(buffer.byteCount, chunkSize, bytes.count - position)
        if n <= 0 { return 0 }
        // Safe: `n` bytes fit both the span and `bytes[position...]`.
        assert(n <= buffer.byteCount && position + n <= bytes.count)
        let start = position
        bytes.withUnsafeBytes { src in
            buffer.withUnsafeMutableBytes { dst in
                dst.baseAddress!.copyMemory(from: src.baseAddress! + start, byteCount: n)
            }
        }
        position += n
        return n
    }

    func close() {}
}
