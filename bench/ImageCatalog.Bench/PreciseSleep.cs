using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ImageCatalog.Bench;

/// <summary>
/// Sleeps the calling thread until a <see cref="Stopwatch"/> timestamp with the kernel's high-resolution timers
/// (tens of microseconds late), where <see cref="Thread.Sleep(TimeSpan)"/> and <see cref="Task.Delay(TimeSpan)"/>
/// wake a millisecond or more late. On Linux a <see cref="Stopwatch"/> timestamp is CLOCK_MONOTONIC in nanoseconds,
/// so the timestamp is the deadline itself.
/// </summary>
internal static partial class PreciseSleep
{
    private const int ClockMonotonic = 1;
    private const int AbsoluteTime = 1;
    private const int Interrupted = 4;

    public static void Until(long timestamp)
    {
        if (!OperatingSystem.IsLinux() || Stopwatch.Frequency != 1_000_000_000)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }

            return;
        }

        var deadline = new TimeSpec(timestamp / 1_000_000_000, timestamp % 1_000_000_000);
        while (ClockNanosleep(ClockMonotonic, AbsoluteTime, in deadline, IntPtr.Zero) == Interrupted)
        {
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct TimeSpec(long Seconds, long Nanoseconds);

    // clock_nanosleep returns the error number itself rather than setting errno.
    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in TimeSpec request, IntPtr remaining);
}
