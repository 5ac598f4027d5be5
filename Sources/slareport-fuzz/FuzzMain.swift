import SLAReport
import SLAReportFuzzSupport

#if canImport(Glibc)
    import Glibc
#endif

/// libFuzzer entry point: one input through the ingest layer (see `IngestFuzzHarness`).
/// Built with `-sanitize=fuzzer` (and `-D SLAREPORT_LIBFUZZER`) by `scripts/fuzz`.
/// With SLAREPORT_FUZZ_TARGET=config the input goes through the config loader instead
/// (`ConfigFuzzHarness`).
let fuzzConfig = getenv("SLAREPORT_FUZZ_TARGET").map { String(cString: $0) == "config" } ?? false

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if fuzzConfig {
        ConfigFuzzHarness.run(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }
    IngestFuzzHarness.run(UnsafeRawBufferPointer(start: data, count: size), compareWhole: true)
    return 0
}

#if SLAREPORT_LIBFUZZER
    /// libFuzzer's driver (in libclang_rt.fuzzer, linked by `-sanitize=fuzzer`).
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    /// SwiftPM links an executable target's `main` to `<module>_main` (so tests can link the
    /// module); libFuzzer's own `main` is therefore not used, and this one starts its driver.
    @_cdecl("slareport_fuzz_main")
    func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
        var argc = argc
        var argv = argv
        return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) }
    }
#else
    /// In the normal build (no libFuzzer): `slareport-fuzz FILE...` runs each file through the
    /// harness and prints the outcome, to reproduce a fuzzer finding; with `--check-chunking` it
    /// prints only inputs whose outcome depends on the chunk size (exit 1 if any).
    @main
    enum FuzzMain {
        static func warn(_ s: String) {
            let line = Array((s + "\n").utf8)
            _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        }

        static func main() {
            var files = Array(CommandLine.arguments.dropFirst())
            let check = files.first == "--check-chunking"
            if check { files.removeFirst() }
            let config = files.first == "--config"
            if config { files.removeFirst() }
            if files.isEmpty {
                warn(
                    "usage: slareport-fuzz [--check-chunking | --config] FILE...   (the fuzzing build is scripts/fuzz)")
                exit(64)
            }
            var failures = 0
            for path in files {
                guard let f = fopen(path, "rb") else {
                    warn("\(path): cannot open")
                    exit(66)
                }
                var bytes: [UInt8] = []
                var buf = [UInt8](repeating: 0, count: 65536)
                while true {
                    let n = fread(&buf, 1, buf.count, f)
                    if n <= 0 { break }
                    bytes += buf[0..<n]
                }
                fclose(f)
                if check {
                    if let diff = bytes.withUnsafeBytes({ IngestFuzzHarness.chunkingMismatch($0) }) {
                        print("== \(path): \(diff)")
                        failures += 1
                    }
                    continue
                }
                if config || fuzzConfig {
                    print("== \(path)\n" + bytes.withUnsafeBytes { ConfigFuzzHarness.run($0) })
                    continue
                }
                let outcome = bytes.withUnsafeBytes { IngestFuzzHarness.run($0, collect: true) }
                print("== \(path)\n\(outcome)")
            }
            if failures > 0 {
                warn("\(failures) of \(files.count) inputs read differently at another chunk size")
                exit(1)
            }
        }
    }
#endif
