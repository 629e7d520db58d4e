using System.Globalization;
using ImageCatalog.Infrastructure;

namespace ImageCatalog.Bench;

/// <summary>
/// <c>-- compare &lt;scenario&gt; "&lt;connection string&gt;" [rounds]</c>: on a database the <c>load</c> mode filled, one
/// scenario's saturated throughput through the service and the floor, alternating in 10 s rounds, with the ratio of
/// each round and of all of them, and the bytes the service allocated per request (its /metrics). It is for trying a
/// change to the layers in minutes instead of a full run.
/// </summary>
public static class Compare
{
    public static async Task<int> RunAsync(BenchHost host, string scenarioId, string connectionString, int rounds, Action<string> progress)
    {
        var scenario = Scenario.All(DataSet.Full).Single(s => s.Id == scenarioId);
        var serviceUrl = $"http://127.0.0.1:{LoopbackPort.Free()}";
        host.StartService(serviceUrl, connectionString);
        var referenceUrl = host.StartReferences(connectionString);
        using var http = BenchHost.CreateLoadClient(TimeSpan.FromMinutes(1));
        await BenchHost.WaitForAsync(http, serviceUrl + "/openapi/v1.json");
        await BenchHost.WaitForReferencesAsync(http, referenceUrl);
        var generator = new LoadGenerator(http);
        HttpRequestMessage Service(int i) => host.GroupRequest(serviceUrl, scenario, i);
        HttpRequestMessage Floor(int i) => BenchHost.ReferenceRequest(referenceUrl, "floor", scenario, i);
        var round = TimeSpan.FromSeconds(10);
        await generator.ClosedLoopAsync(Service, 16, TimeSpan.FromSeconds(15), TimeSpan.Zero);
        await generator.ClosedLoopAsync(Floor, 16, TimeSpan.FromSeconds(15), TimeSpan.Zero);
        double serviceTotal = 0, floorTotal = 0;
        for (var i = 1; i <= rounds; i++)
        {
            var floor = await generator.ClosedLoopAsync(Floor, 16, TimeSpan.FromSeconds(1), round);
            await generator.ClosedLoopAsync(Service, 16, TimeSpan.FromSeconds(1), TimeSpan.Zero);
            var allocatedBefore = await AllocatedBytesAsync(http, serviceUrl);
            var service = await generator.ClosedLoopAsync(Service, 16, TimeSpan.Zero, round);
            var allocatedPerRequest = (await AllocatedBytesAsync(http, serviceUrl) - allocatedBefore) / service.Requests;
            serviceTotal += service.RequestsPerSecond;
            floorTotal += floor.RequestsPerSecond;
            progress(string.Create(CultureInfo.InvariantCulture,
                $"round {i}: service {service.RequestsPerSecond:F0} req/s, floor {floor.RequestsPerSecond:F0}, ratio {service.RequestsPerSecond / floor.RequestsPerSecond:F3}, service allocated {allocatedPerRequest:F0} B/request"));
        }

        progress(string.Create(CultureInfo.InvariantCulture,
            $"{scenarioId}: service {serviceTotal / rounds:F0} req/s, floor {floorTotal / rounds:F0}, ratio {serviceTotal / floorTotal:F3}"));
        return 0;
    }

    private static async Task<double> AllocatedBytesAsync(HttpClient http, string serviceUrl) =>
        ServiceMetrics.Sum(await ServiceMetrics.ReadAsync(http, serviceUrl), "dotnet_gc_heap_total_allocated_bytes_total");
}
