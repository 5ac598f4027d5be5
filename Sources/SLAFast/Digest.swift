import CCrypto

/// SHA-256 through OpenSSL's libcrypto (EVP interface), fed in pieces; lowercase hex out.
package final class SHA256Digest {
    private var ctx: OpaquePointer?

    package init() {
        ctx = EVP_MD_CTX_new()
        if let ctx { EVP_DigestInit_ex(ctx, EVP_sha256(), nil) }
    }

    deinit { EVP_MD_CTX_free(ctx) }

    /// Feeds the n bytes at p (the caller's buffer holds them).
    package func update(_ p: UnsafeRawPointer, _ n: Int) {
        assert(n >= 0)
        if let ctx { EVP_DigestUpdate(ctx, p, n) }
    }

    /// The hex digest; the digest cannot be fed after this.
    package func finish() -> String {
        guard let ctx else { return "" }
        var md = [UInt8](repeating: 0, count: 32)
        var len: UInt32 = 0
        EVP_DigestFinal_ex(ctx, &md, &len)
        EVP_MD_CTX_free(ctx)
        self.ctx = nil
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in md.prefix(Int(len)) {
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

public enum Digest {
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        let d = SHA256Digest()
        bytes.withUnsafeBytes { p in if let b = p.baseAddress { d.update(b, p.count) } }
        return d.finish()
    }
}
