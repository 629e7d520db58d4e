using System.Globalization;

namespace ImageCatalog.Bench;

/// <summary>Reads the service's <c>/metrics</c> (Prometheus text, one sample per line, no timestamps).</summary>
public static class ServiceMetrics
{
    public static Task<string> ReadAsync(HttpClient http, string serviceUrl) => http.GetStringAsync(serviceUrl + "/metrics");

    /// <summary>
    /// The sum of the samples of <paramref name="series"/> (a metric's name with its suffix: <c>_total</c>,
    /// <c>_count</c>, <c>_bucket</c>, ...) over the label sets that contain every one of <paramref name="labels"/>.
    /// </summary>
    public static double Sum(string metrics, string series, params string[] labels) =>
        metrics.Split('\n')
            .Where(line => (line.StartsWith(series + "{", StringComparison.Ordinal) || line.StartsWith(series + " ", StringComparison.Ordinal))
                && labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}

/// <summary>
/// The service's runtime counters at one moment (its <c>/metrics</c>), to tell what changes in a process whose requests
/// become dearer: its collections, pauses, lock contentions, thread pool, JIT and heap.
/// </summary>
public sealed record RuntimeSnapshot(
    double Allocated, double Gen0, double Gen1, double Gen2, double PauseMs, double LockContentions, double WorkItems,
    double JittedMethods, double Threads, double Gen2HeapMb, double LohMb, double WorkingSetMb)
{
    public static async Task<RuntimeSnapshot> ReadAsync(HttpClient http, string serviceUrl)
    {
        var metrics = await ServiceMetrics.ReadAsync(http, serviceUrl);
        double Sum(string series, params string[] labels) => ServiceMetrics.Sum(metrics, series, labels);
        double Collections(string generation) => Sum("dotnet_gc_collections_total", $"gc_heap_generation=\"{generation}\"");
        double HeapMb(string generation) =>
            Sum("dotnet_gc_last_collection_heap_size_bytes", $"gc_heap_generation=\"{generation}\"") / (1 << 20);
        return new RuntimeSnapshot(
            Sum("dotnet_gc_heap_total_allocated_bytes_total"), Collections("gen0"), Collections("gen1"), Collections("gen2"),
            Sum("dotnet_gc_pause_time_seconds_total") * 1000, Sum("dotnet_monitor_lock_contentions_total"),
            Sum("dotnet_thread_pool_work_item_count_total"), Sum("dotnet_jit_compiled_methods_total"),
            Sum("dotnet_thread_pool_thread_count"), HeapMb("gen2"), HeapMb("loh"),
            Sum("dotnet_process_memory_working_set_bytes") / (1 << 20));
    }

    /// <summary>What the runtime did between <paramref name="before"/> and this snapshot, over <paramref name="requests"/> requests.</summary>
    public RuntimeUse Since(RuntimeSnapshot before, long requests)
    {
        var perThousand = 1000.0 / Math.Max(1, requests);
        return new RuntimeUse(
            (Allocated - before.Allocated) / Math.Max(1, requests),
            (Gen0 - before.Gen0) * perThousand, (Gen1 - before.Gen1) * perThousand, (Gen2 - before.Gen2) * perThousand,
            (PauseMs - before.PauseMs) * perThousand, (LockContentions - before.LockContentions) * perThousand,
            (WorkItems - before.WorkItems) / Math.Max(1, requests), (JittedMethods - before.JittedMethods) * perThousand,
            Threads, Gen2HeapMb, LohMb, WorkingSetMb);
    }
}

/// <summary>
/// The service's runtime over a stretch of requests: per request, or per 1000 requests for rare events; the thread
/// pool's size, the heap and the working set as they were at its end.
/// </summary>
public sealed record RuntimeUse(
    double AllocatedBytes, double Gen0PerThousand, double Gen1PerThousand, double Gen2PerThousand, double PauseMsPerThousand,
    double LockContentionsPerThousand, double WorkItems, double JittedMethodsPerThousand, double Threads, double Gen2HeapMb,
    double LohMb, double WorkingSetMb)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"allocated {AllocatedBytes:F0} B/request, {WorkItems:F2} thread-pool work items/request; per 1000 requests: GCs {Gen0PerThousand:F2}/{Gen1PerThousand:F2}/{Gen2PerThousand:F3}, "
        + $"pause {PauseMsPerThousand:F2} ms, lock contentions {LockContentionsPerThousand:F1}, methods jitted {JittedMethodsPerThousand:F2}; "
        + $"{Threads:F0} pool threads, gen2 {Gen2HeapMb:F1} MB, LOH {LohMb:F1} MB, working set {WorkingSetMb:F0} MB");
}

/// <summary>One measured stretch of a server: its throughput, the CPU time a request cost, and what its process did.</summary>
public sealed record ServerStretch(Measurement Measured, RequestCost Cost, RuntimeUse? Runtime, double AllocatedBytes)
{
    /// <summary>
    /// Runs <paramref name="measure"/> against the server at <paramref name="serverPid"/>: the service at
    /// <paramref name="serviceUrl"/>, with its runtime from its <c>/metrics</c>, or, with no service URL, the
    /// references at <paramref name="referenceUrl"/>, with the bytes their <c>/allocated</c> grew by.
    /// </summary>
    public static async Task<ServerStretch> MeasureAsync(
        HttpClient http, int serverPid, string? serviceUrl, string referenceUrl, Func<Task<Measurement>> measure)
    {
        if (serviceUrl is not null)
        {
            var before = await RuntimeSnapshot.ReadAsync(http, serviceUrl);
            var (measured, cost) = await RequestCost.MeasureAsync(serverPid, measure);
            var runtime = (await RuntimeSnapshot.ReadAsync(http, serviceUrl)).Since(before, measured.Requests);
            return new(measured, cost, runtime, runtime.AllocatedBytes);
        }

        var allocatedBefore = await BenchHost.ReferencesAllocatedAsync(http, referenceUrl);
        var (referenceMeasured, referenceCost) = await RequestCost.MeasureAsync(serverPid, measure);
        var allocated = (await BenchHost.ReferencesAllocatedAsync(http, referenceUrl) - allocatedBefore) / Math.Max(1, referenceMeasured.Requests);
        return new(referenceMeasured, referenceCost, null, allocated);
    }
}
