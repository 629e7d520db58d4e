using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ImageCatalog.IntegrationTests.Infrastructure;
using SdkSigningHandler = ImageCatalog.Client.SdkSigningHandler;

namespace ImageCatalog.IntegrationTests.Process;

/// <summary>
/// The newcomer's path: with no configuration the service starts its own PostgreSQL in Database:DataDirectory,
/// migrates, loads the demo groups once, serves them, and stops its PostgreSQL when it stops.
/// </summary>
public sealed class RunCommandTests
{
    private const string DemoProject = "0123456789abcdef0123456789abcdef";

    private static readonly Regex DemoCredentials = new(@"access key (?<ak>\S+), secret key (?<sk>\S+)", RegexOptions.CultureInvariant);

    private static readonly Regex CurlCommand = new(@"curl -H 'X-Auth-Token: (?<token>[^']+)' '(?<url>[^']+)'", RegexOptions.CultureInvariant);

    [Test]
    public async Task With_no_configuration_it_runs_its_own_database_with_the_demo_groups_and_stops_it()
    {
        var folder = Path.Combine(Path.GetTempPath(), "imagecatalog-run-" + Guid.NewGuid().ToString("N"));
        var dataDirectory = Path.Combine(folder, "postgres");
        // What `dotnet run --project src/Api` gives a newcomer: the Development environment (launch settings), whose
        // console log is plain text.
        var environment = new Dictionary<string, string>
        {
            ["Database__DataDirectory"] = dataDirectory,
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        };
        using var plain = new HttpClient();
        var accessKeys = new List<string>();
        try
        {
            for (var run = 1; run <= 2; run++)
            {
                await using var service = ServiceProcess.Start(environment);
                var groupsPath = $"/v1/{DemoProject}/images/group";
                await service.WaitUntilServingAsync(plain, "/openapi/v1.json", TimeSpan.FromMinutes(2));
                var demo = DemoCredentials.Match(service.Output);
                Assert.That(demo.Success, Is.True, "the demo AK/SK are printed:\n" + service.Output);
                accessKeys.Add(demo.Groups["ak"].Value);
                using var client = new HttpClient(
                    new SdkSigningHandler(demo.Groups["ak"].Value, demo.Groups["sk"].Value, () => DateTimeOffset.UtcNow)
                    {
                        InnerHandler = new HttpClientHandler(),
                    });

                using var unsigned = await plain.GetAsync(new Uri(service.BaseAddress, groupsPath));
                Assert.That((int)unsigned.StatusCode, Is.EqualTo(401), "the API needs credentials");
                var page = await client.GetFromJsonAsync<GroupPage>(new Uri(service.BaseAddress, groupsPath), Wire.Json);

                Assert.That(
                    page!.Data.Select(group => (group.Namespace, group.Name, group.CreateAt, group.UpdateAt, group.VersionCount)),
                    Is.EqualTo(new[]
                    {
                        ("op_svc_modelarts_container2", "pytorch_1_8", 1671708630448L, 1671708630448L, 1),
                        ("mock-service1", "mock-service-python", 1671093486722L, 1671093486722L, 1),
                        ("infer-model-dev", "123", 1652878011643L, 1652878531791L, 1),
                    }),
                    $"run {run}: the demo data is loaded once and only once");
                Assert.That(page, Is.EqualTo(page with { Current = 1, Pages = 1, Size = 3, Total = 3 }));

                // The printed curl command works as it stands.
                var curl = CurlCommand.Match(service.Output);
                Assert.That(curl.Success, Is.True, "a ready curl command is printed:\n" + service.Output);
                Assert.That(curl.Groups["url"].Value, Is.EqualTo(new Uri(service.BaseAddress, groupsPath).ToString()));
                using var withToken = new HttpRequestMessage(HttpMethod.Get, curl.Groups["url"].Value);
                withToken.Headers.Add("X-Auth-Token", curl.Groups["token"].Value);
                using var tokenResponse = await plain.SendAsync(withToken);
                Assert.That((await tokenResponse.Content.ReadFromJsonAsync<GroupPage>(Wire.Json))!.Total, Is.EqualTo(3));

                Assert.That(await service.StopAsync(), Is.Zero, service.Output);
                Assert.That(File.Exists(Path.Combine(dataDirectory, "postmaster.pid")), Is.False, "PostgreSQL still runs after the service stopped");
            }

            Assert.That(accessKeys.Distinct().Count(), Is.EqualTo(1), "the demo credentials are kept across restarts");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
