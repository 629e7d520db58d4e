namespace ImageCatalog.Bench;

/// <summary>
/// The kernel's autogroup scheduling (<c>kernel.sched_autogroup_enabled</c>, on by default in Debian's and most desktop
/// kernels). With it on, CPU time is shared first between sessions and then between the threads of each session.
/// <c>pg_ctl</c> starts PostgreSQL in a session of its own, so on one shared machine every backend of the cluster
/// competes as one entity against the load generator, the service and the references together, and the whole database
/// now and then waits 50-300 ms for its turn: the open loops' stalls (bench/performance-notes.md, "Open-loop tail").
/// A run switches it off for its duration when it may (as root), puts the setting back when it ends, and reports which.
/// </summary>
public sealed class AutogroupScheduling : IDisposable
{
    private const string SettingPath = "/proc/sys/kernel/sched_autogroup_enabled";

    private readonly bool _restore;

    private AutogroupScheduling(string state, bool restore)
    {
        State = state;
        _restore = restore;
    }

    /// <summary>What the run ran under, for the report.</summary>
    public string State { get; }

    /// <summary>Switches autogroup scheduling off unless <paramref name="keep"/> or it is off already.</summary>
    public static AutogroupScheduling Apply(bool keep)
    {
        if (!File.Exists(SettingPath))
        {
            return new AutogroupScheduling("not in this kernel", restore: false);
        }

        if (File.ReadAllText(SettingPath).Trim() == "0")
        {
            return new AutogroupScheduling("off", restore: false);
        }

        if (keep)
        {
            return new AutogroupScheduling("on (kept on: --keep-autogroup)", restore: false);
        }

        try
        {
            File.WriteAllText(SettingPath, "0");
            return new AutogroupScheduling("off for this run (on before, put back afterwards)", restore: true);
        }
        catch (Exception exception) when (exception is UnauthorizedAccessException or IOException)
        {
            return new AutogroupScheduling($"on (could not switch it off: {exception.Message})", restore: false);
        }
    }

    public void Dispose()
    {
        if (_restore)
        {
            File.WriteAllText(SettingPath, "1");
        }
    }
}
