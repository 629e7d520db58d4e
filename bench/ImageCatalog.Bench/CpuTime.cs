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

    public static double OfMachine()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(value => double.Parse(value, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
        return (cpu[..8].Sum() - cpu[3] - cpu[4]) / TicksPerSecond;
    }
}
