using ImageCatalog.Infrastructure.Persistence;
using Npgsql;

namespace ImageCatalog.Bench;

/// <summary>A way to run the service that the tuning runs compare with the shipped one.</summary>
public sealed record TuningVariant(string Name, string ConnectionString, Dictionary<string, string> Environment)
{
    public static IEnumerable<TuningVariant> All(string connectionString)
    {
        string Pool(int size) => new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = size }.ConnectionString;
        yield return new($"as shipped (workstation concurrent GC; pool of {DatabaseOptions.DefaultMaxPoolSize})", connectionString, []);
        yield return new("server GC", connectionString, new() { ["DOTNET_gcServer"] = "1" });
        yield return new("workstation non-concurrent GC", connectionString, new() { ["DOTNET_gcConcurrent"] = "0" });
        foreach (var size in new[] { 2, 4, 16, 32 })
        {
            yield return new($"connection pool of {size}", Pool(size), []);
        }

        // Runtime knobs given as environment variables are hexadecimal: 0x20 = 32 threads.
        yield return new("32 minimum worker threads", connectionString, new() { ["DOTNET_ThreadPool_ForceMinWorkerThreads"] = "20" });
    }
}

/// <summary>One variant's S2 figures: saturated throughput, open-loop latency at the main run's rate, peak RSS.</summary>
public sealed record TuningResult(string Variant, Measurement Saturated, double OpenLoopRate, Measurement Open, double PeakRssMb);
