import CSystem
import SLAConfig
import SLAFast
import SLAIngest
import SLAMetrics
import SLAModel
import SLAOutput
import SLAReports

/// glibc malloc settings for one batch run, applied before any thread starts.
///
/// A run builds a few hundred MB of row arrays, frees them after merging and then allocates
/// the metrics and reports. By default glibc gives every big block back to the kernel (mmap
/// above 128 KiB–32 MiB, heap trimming) and keeps one arena per thread, so later allocations
/// fault in fresh zeroed pages again; on the project's VM a fault-in costs 0.5–3 s per GB.
/// One arena, no mmap'd blocks and no trimming keep freed memory in the process for reuse:
/// on the year benchmark the page faults halved (312k → 167k) and the wall time fell 9 %
/// at the same peak RSS. (Rows are not allocated one by one, so one arena does not contend.)
public enum AllocatorTuning {
    public static func forBatchRun() {
        CSystem_tuneMallocForBatch()
    }
}
