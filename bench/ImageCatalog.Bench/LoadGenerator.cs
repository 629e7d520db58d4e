using System.Diagnostics;

namespace ImageCatalog.Bench;

/// <summary>One measurement: throughput and latency percentiles (milliseconds) over the measured window.</summary>
public sealed record Measurement(double RequestsPerSecond, double P50, double P99, double P999, long Requests, long Errors)
{
    /// <summary>Equally long measurements as one: mean throughput, summed counts, the worst of each percentile.</summary>
    public static Measurement Combine(params IReadOnlyList<Measurement> parts) => new(
        parts.Average(part => part.RequestsPerSecond),
        parts.Max(part => part.P50),
        parts.Max(part => part.P99),
        parts.Max(part => part.P999),
        parts.Sum(part => part.Requests),
        parts.Sum(part => part.Errors));
}

/// <summary>
/// An open loop's percentiles, its latencies in schedule order (request i was due i / rate seconds in), in the same
/// order how late the generator itself handed each request to the HTTP client (its dispatch lag), and that lag's
/// p50 and p99.
/// </summary>
public sealed record OpenLoopResult(Measurement Latency, double[] Timeline, double[] DispatchLag, double DispatchLagP50, double DispatchLagP99);

/// <summary>
/// A purpose-built HTTP load generator on 127.0.0.1. Closed loop: N connections, each sending its next request as
/// soon as the last one answered (saturation throughput). Open loop: requests scheduled at a fixed rate whatever
/// the answers do, latency measured from each request's scheduled send time, so a stall is not hidden
/// (no coordinated omission). Both run a warm-up first and stop by themselves after their duration.
/// </summary>
public sealed class LoadGenerator(HttpClient client)
{
    public async Task<Measurement> ClosedLoopAsync(Func<int, HttpRequestMessage> request, int connections, TimeSpan warmUp, TimeSpan duration)
    {
        await RunClosedAsync(request, connections, warmUp, record: null);
        var latencies = new List<double>[connections];
        for (var i = 0; i < connections; i++)
        {
            latencies[i] = new List<double>(100_000);
        }

        var errors = await RunClosedAsync(request, connections, duration, latencies);
        var all = latencies.SelectMany(list => list).ToArray();
        return Summarise(all, errors, duration);
    }

    /// <summary>An open loop at <paramref name="ratePerSecond"/>: a warm-up, <paramref name="measuring"/> if given, then the measured window.</summary>
    public async Task<OpenLoopResult> OpenLoopAsync(
        Func<int, HttpRequestMessage> request, double ratePerSecond, TimeSpan warmUp, TimeSpan duration, Func<Task>? measuring = null)
    {
        await RunOpenAsync(request, ratePerSecond, warmUp, record: false);
        if (measuring is not null)
        {
            await measuring();
        }

        var (latencies, dispatchLag, errors) = await RunOpenAsync(request, ratePerSecond, duration, record: true);
        var timeline = latencies.ToArray();
        var lag = dispatchLag.Order().ToArray();
        return new OpenLoopResult(
            Summarise(latencies, errors, duration), timeline, dispatchLag, Percentile(lag, 0.50), Percentile(lag, 0.99));
    }

    private async Task<long> RunClosedAsync(Func<int, HttpRequestMessage> request, int connections, TimeSpan duration, List<double>[]? record)
    {
        long errors = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            var sequence = worker;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var start = Stopwatch.GetTimestamp();
                if (!await SendAsync(request(sequence)))
                {
                    Interlocked.Increment(ref errors);
                }

                record?[worker].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                sequence += connections;
            }
        })));
        return errors;
    }

    private async Task<(double[] Latencies, double[] DispatchLag, long Errors)> RunOpenAsync(
        Func<int, HttpRequestMessage> request, double ratePerSecond, TimeSpan duration, bool record)
    {
        var count = (int)(ratePerSecond * duration.TotalSeconds);
        var latencies = new double[count];
        var dispatchLag = new double[count];
        long errors = 0;
        var pending = new Task[count];
        var dispatched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task SendAt(int index, long scheduled)
        {
            dispatchLag[index] = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
            if (!await SendAsync(request(index)))
            {
                Interlocked.Increment(ref errors);
            }

            latencies[index] = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
        }

        // A thread of its own sleeps until each request is due and starts it there: a dispatcher that awaited
        // Task.Delay woke a millisecond or more late (the timer's resolution, then a turn in a thread pool busy with
        // the answers) and sent what had fallen due in bursts, which the service then queued.
        var dispatcher = new Thread(() =>
        {
            var origin = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                var scheduled = origin + (long)(i / ratePerSecond * Stopwatch.Frequency);
                if (Stopwatch.GetTimestamp() < scheduled)
                {
                    PreciseSleep.Until(scheduled);
                }

                pending[i] = SendAt(i, scheduled);
            }

            dispatched.SetResult();
        })
        { IsBackground = true, Name = "Open-loop dispatcher" };
        dispatcher.Start();
        await dispatched.Task;
        await Task.WhenAll(pending);
        return (record ? latencies : [], record ? dispatchLag : [], errors);
    }

    private async Task<bool> SendAsync(HttpRequestMessage message)
    {
        try
        {
            using (message)
            using (var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead))
            {
                return response.IsSuccessStatusCode;
            }
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static Measurement Summarise(double[] latencies, long errors, TimeSpan duration)
    {
        Array.Sort(latencies);
        return new Measurement(
            latencies.Length / duration.TotalSeconds,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), Percentile(latencies, 0.999), latencies.Length, errors);
    }

    /// <summary>The value at <paramref name="share"/> of <paramref name="sorted"/>; NaN when it is empty.</summary>
    private static double Percentile(double[] sorted, double share) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(share * sorted.Length))];
}
