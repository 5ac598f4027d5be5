import CZlib
import Foundation

/// One output file: plain or gzip (optionally several gzip members), optionally re-encoded from
/// UTF-8 to GB18030 block by block. All file writing goes through here.
final class OutputFile {
    let path: String
    let name: String
    private let file: UnsafeMutablePointer<FILE>
    /// zlib keeps a pointer back to its z_stream, so the stream lives at one heap address.
    private var zs: UnsafeMutablePointer<z_stream>? = nil
    private let level: Int32
    private var out: UnsafeMutablePointer<UInt8>
    private let outSize = 1 << 18
    private var iconvHandle: iconv_t? = nil
    private var convBuf: UnsafeMutablePointer<UInt8>
    private let convSize = 1 << 22
    private(set) var members = 0
    private(set) var bytesWritten = 0

    /// gzipLevel nil writes plain bytes.
    init(directory: String, name: String, gzipLevel: Int32?, gb18030: Bool = false) throws {
        self.name = name
        self.path = directory + "/" + name
        guard let f = fopen(path, "wb") else {
            throw GenError.io("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        file = f
        level = gzipLevel ?? -1
        out = .allocate(capacity: outSize)
        convBuf = .allocate(capacity: convSize)
        if gb18030 {
            let cd = iconv_open("GB18030", "UTF-8")
            if cd == iconv_t(bitPattern: -1) { throw GenError.io("iconv cannot convert UTF-8 to GB18030") }
            iconvHandle = cd
        }
        if gzipLevel != nil { startMember() }
    }

    var gzip: Bool { level >= 0 }

    private func startMember() {
        let s = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        s.initialize(to: z_stream())
        let rc = CZlib_deflateInit2(s, level, 31)
        precondition(rc == Z_OK, "deflateInit2 failed")
        zs = s
        members += 1
    }

    private func finishMember() {
        guard zs != nil else { return }
        deflateChunk(nil, 0, flush: Z_FINISH)
        deflateEnd(zs!)
        zs!.deallocate()
        zs = nil
    }

    /// Ends the current gzip member and starts another: the file becomes a multi-member gzip
    /// stream, as `cat a.gz b.gz` would make.
    func newMember() {
        guard gzip else { return }
        finishMember()
        startMember()
    }

    func write(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) {
        if let cd = iconvHandle {
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(p).assumingMemoryBound(to: CChar.self)
            var inLeft = n
            while inLeft > 0 {
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(convBuf).assumingMemoryBound(
                    to: CChar.self)
                var outLeft = convSize
                let rc = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                if rc == -1 && errno != E2BIG { fatalError("iconv failed: \(errno)") }
                raw(convBuf, convSize - outLeft)
            }
        } else {
            raw(p, n)
        }
    }

    private func raw(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) {
        if gzip { deflateChunk(p, n, flush: Z_NO_FLUSH) } else { put(p, n) }
    }

    private func put(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) {
        if n == 0 { return }
        let w = fwrite(p, 1, n, file)
        if w != n { fatalError("write failed on \(path): \(String(cString: strerror(errno)))") }
        bytesWritten += n
    }

    private func deflateChunk(_ p: UnsafeMutablePointer<UInt8>?, _ n: Int, flush: Int32) {
        let z = zs!
        z.pointee.next_in = p
        z.pointee.avail_in = UInt32(n)
        repeat {
            z.pointee.next_out = out
            z.pointee.avail_out = UInt32(outSize)
            let rc = deflate(z, flush)
            precondition(rc != Z_STREAM_ERROR, "deflate failed")
            put(out, outSize - Int(z.pointee.avail_out))
        } while z.pointee.avail_out == 0 || (flush == Z_FINISH && z.pointee.avail_in > 0)
    }

    func close() {
        finishMember()
        fclose(file)
        if let cd = iconvHandle { iconv_close(cd) }
        out.deallocate()
        convBuf.deallocate()
    }
}

enum GenError: Error, CustomStringConvertible {
    case io(String)
    case usage(String)
    var description: String {
        switch self {
        case .io(let m), .usage(let m): return m
        }
    }
}
