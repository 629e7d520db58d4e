using System.Globalization;

namespace ImageCatalog.Bench;

/// <summary>
/// CPU time from <c>/proc</c>: a process's (user + system, its threads included) and the machine's (every core's
/// non-idle time), in seconds. Divided by the requests of a round, they say what a request costs with less noise than
/// throughput does, and where that cost is spent.
/// </summary>
public static class CpuTime
{
    // USER_HZ, the unit of /proc's CPU times: 100 on Linux.
    private const double TicksPerSecond = 100;

    public static double OfProcess(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name in parentheses may hold spaces; the fields counted here come after it.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>
    /// Every PostgreSQL process's, by process id: the postmaster, its background workers and every session's backend.
    /// By process, because processes come and go (an autovacuum worker ends after its table): a sum would drop what an
    /// ended process had used before the window began.
    /// </summary>
    public static Dictionary<int, double> OfPostgres()
    {
        var seconds = new Dictionary<int, double>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }

            try
            {
                // Backends rename themselves ("postgres: user db ..."), but the kernel's comm stays "postgres".
                if (File.ReadAllText(Path.Combine(folder, "comm")).TrimEnd() == "postgres")
                {
                    seconds[pid] = OfProcess(pid);
                }
            }
            catch (IOException)
            {
                // The process ended between listing and reading.
            }
        }

        return seconds;
    }

    public static double OfMachine()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(value => double.Parse(value, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
        return (cpu[..8].Sum() - cpu[3] - cpu[4]) / TicksPerSecond;
    }
}

/// <summary>CPU seconds used so far: the server's process, this process (the load generator), PostgreSQL's by process, the whole machine.</summary>
public sealed record CpuSnapshot(double Server, double Generator, IReadOnlyDictionary<int, double> Postgres, double Machine);

/// <summary>
/// CPU microseconds per request: the server's process, this process (the load generator), PostgreSQL's processes, the
/// whole machine. A PostgreSQL process that ended within the window counts in <see cref="Rest"/>.
/// </summary>
public readonly record struct RequestCost(double Server, double Generator, double Postgres, double Machine)
{
    /// <summary>What no process was charged for: mostly the kernel's network work for loopback traffic (softirq), and anything else running.</summary>
    public double Rest => Machine - Server - Generator - Postgres;

    private static CpuSnapshot Read(int serverPid) =>
        new(CpuTime.OfProcess(serverPid), CpuTime.OfProcess(Environment.ProcessId), CpuTime.OfPostgres(), CpuTime.OfMachine());

    private static RequestCost Since(CpuSnapshot before, int serverPid, long requests)
    {
        var now = Read(serverPid);
        var perRequest = 1e6 / Math.Max(1, requests);
        var postgres = now.Postgres.Sum(process => process.Value - before.Postgres.GetValueOrDefault(process.Key));
        return new(
            (now.Server - before.Server) * perRequest, (now.Generator - before.Generator) * perRequest,
            postgres * perRequest, (now.Machine - before.Machine) * perRequest);
    }

    /// <summary>Runs <paramref name="measure"/> and divides the CPU time it took on the way by the requests it served.</summary>
    public static async Task<(Measurement Measured, RequestCost Cost)> MeasureAsync(int serverPid, Func<Task<Measurement>> measure)
    {
        var before = Read(serverPid);
        var measured = await measure();
        return (measured, Since(before, serverPid, measured.Requests));
    }

    public static RequestCost operator +(RequestCost left, RequestCost right) =>
        new(left.Server + right.Server, left.Generator + right.Generator, left.Postgres + right.Postgres, left.Machine + right.Machine);

    public static RequestCost operator /(RequestCost cost, int rounds) =>
        new(cost.Server / rounds, cost.Generator / rounds, cost.Postgres / rounds, cost.Machine / rounds);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"server {Server:F1}, load generator {Generator:F1}, PostgreSQL {Postgres:F1}, the rest {Rest:F1}, machine {Machine:F1}");
}
