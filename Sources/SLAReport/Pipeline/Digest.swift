import CCrypto

/// SHA-256 through OpenSSL's libcrypto (EVP interface).
public enum Digest {
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        var md = [UInt8](repeating: 0, count: 32)
        var len: UInt32 = 0
        bytes.withUnsafeBytes { p in
            _ = EVP_Digest(p.baseAddress, p.count, &md, &len, EVP_sha256(), nil)
        }
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in md[0..<Int(len)] {
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
