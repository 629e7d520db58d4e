using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using ImageCatalog.IntegrationTests.Infrastructure;
using ImageCatalog.IntegrationTests.Process;
using Npgsql;

namespace ImageCatalog.IntegrationTests.Reliability;

/// <summary>
/// Ten thousand generated hostile requests (a hundred thousand with <c>reliability/run --full</c>) against every route
/// of the built service on Kestrel: each answer is a 2xx (the input was in fact valid) or a 4xx with the contract's
/// error body, never a 5xx, and a refused write leaves the database exactly as it was. The seed is printed and can be
/// set with IMAGECATALOG_HOSTILE_SEED to replay a run.
/// </summary>
[NonParallelizable]
public sealed class HostileInputTests : ApiTest
{
    private const int DefaultSeed = 20261204;
    private const string Project = "0000000000000000000000000000beef";

    /// <summary>The largest body any route takes (a register, 64 KiB; a group edit takes up to 256 KiB).</summary>
    private const int MaxBodyBytes = 64 * 1024;

    private const string FingerprintSql = """
        SELECT md5(concat_ws('|',
            (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM images AS t),
            (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM image_groups AS t),
            (SELECT string_agg(t::text, ',' ORDER BY t.project_id, t.idempotency_key) FROM idempotency_keys AS t),
            (SELECT string_agg(t::text, ',' ORDER BY t.project_id, t.workspace_id) FROM image_group_counts AS t)))
        """;

    [Test]
    public async Task Every_answer_is_a_2xx_or_a_4xx_with_the_contract_body_and_refused_writes_change_nothing()
    {
        var seed = HostileRequests.SeedFromEnvironment(DefaultSeed);
        var count = ReliabilityFigures.Full ? 100_000 : 10_000;
        var settings = ServiceProcess.Settings(TestEnvironment.Database.ConnectionString, testTokens: true);
        settings["Logging__LogLevel__Default"] = "Warning";
        await using var service = ServiceProcess.Start(settings);
        using var client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // Header values go out as raw UTF-8 bytes, as a careless client would send them.
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        })
        {
            BaseAddress = service.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Add("X-Auth-Token", ImageCatalogFactory.IssueToken([Project], ["writer"]));
        await service.WaitUntilServingAsync(client, "/health/ready", TimeSpan.FromMinutes(1));
        var (imageIds, groupIds) = await SeedAsync(client);

        var generator = new HostileRequests(seed, Project, imageIds, groupIds);
        var outcome = new Outcome();
        var fingerprint = await FingerprintAsync();
        HostileRequest? previous = null;
        for (var i = 0; i < count; i++)
        {
            var request = generator.Next();
            using var message = ToMessage(request);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(message);
            }
            catch (HttpRequestException exception) when (request.Body?.Length > MaxBodyBytes)
            {
                // Past the limit the service answers 413 and closes the connection while the client is still
                // uploading; the client may see that as a broken pipe instead of the answer.
                outcome.CutOffUpload(request, exception);
                previous = request;
                continue;
            }
            catch (HttpRequestException exception)
            {
                outcome.Fail(request, $"no answer: {exception.Message} {exception.InnerException?.Message} (after {previous})");
                continue;
            }

            previous = request;
            using var answered = response;
            var body = await response.Content.ReadAsByteArrayAsync();
            outcome.Check(request, response, body);
            if (request.IsWrite)
            {
                var after = await FingerprintAsync();
                if (!response.IsSuccessStatusCode && after != fingerprint)
                {
                    outcome.RefusedWriteChangedTheDatabase(request, (int)response.StatusCode);
                }

                fingerprint = after;
            }
        }

        ReliabilityFigures.Record("hostile-input", new
        {
            Seed = seed,
            RequestsTried = count,
            ByStatus = string.Join(", ", outcome.ByStatus.Select(pair => $"{pair.Key}: {pair.Value}")),
            ByRoute = string.Join(", ", outcome.ByCategory.Select(pair => $"{pair.Key}: {pair.Value}")),
            outcome.ServerErrors,
            outcome.RefusedByKestrel,
            outcome.UploadsCutOff,
            ContractViolations = outcome.Failures.Count,
            outcome.AcceptedWrites,
            RefusedWritesThatChangedTheDatabase = outcome.ChangedByRefusedWrites,
        });
        Assert.Multiple(async () =>
        {
            Assert.That(outcome.Failures, Is.Empty, $"seed {seed}: " + string.Join(Environment.NewLine, outcome.Failures.Take(20)));
            Assert.That(outcome.ServerErrors, Is.Zero, outcome.ServerErrors > 0 ? service.Output : "");
            Assert.That(await GroupCountDifferencesAsync(), Is.Empty, "the kept counts still match the groups");
            Assert.That(service.HasExited, Is.False, service.Output);
        });
        // A suite that never reaches the handlers proves little: valid and invalid answers both occur in numbers.
        Assert.That(outcome.ByStatus.GetValueOrDefault("200") + outcome.ByStatus.GetValueOrDefault("201"), Is.GreaterThan(count / 50), string.Join(", ", outcome.ByStatus));
        Assert.That(outcome.ByStatus.GetValueOrDefault("400"), Is.GreaterThan(count / 4), string.Join(", ", outcome.ByStatus));
    }

    private static async Task<(List<Guid> Images, List<Guid> Groups)> SeedAsync(HttpClient client)
    {
        var images = new List<Guid>();
        foreach (var path in new[] { "team/app:1", "team/app:2", "team-a/mock:1", "team-a/mock:2", "hostile/py:1", "hostile/py:2" })
        {
            using var response = await client.PostAsJsonAsync($"/v1/{Project}/images", new { swr_path = "swr.example.com/" + path });
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
            images.Add((await response.Content.ReadFromJsonAsync<Image>(Wire.Json))!.Id);
        }

        var page = (await client.GetFromJsonAsync<GroupPage>($"/v1/{Project}/images/group", Wire.Json))!;
        return (images, page.Data.Select(group => group.Id).ToList());
    }

    private static HttpRequestMessage ToMessage(HostileRequest request)
    {
        var message = new HttpRequestMessage(request.Method, request.PathAndQuery);
        if (request.Body is not null)
        {
            // Kestrel closes the connection after a body past the route's limit that the 413 left unread; a client that
            // then reused it would race that close, so such a request says it is the connection's last.
            message.Headers.ConnectionClose = request.Body.Length > MaxBodyBytes;
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }

        foreach (var (name, value) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    private static async Task<string> FingerprintAsync()
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.Database.ConnectionString);
        return await connection.ExecuteScalarAsync<string>(FingerprintSql) ?? "";
    }

    /// <summary>What the answers were, and every one that broke the contract.</summary>
    private sealed class Outcome
    {
        public SortedDictionary<string, int> ByStatus { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, int> ByCategory { get; } = new(StringComparer.Ordinal);

        public List<string> Failures { get; } = [];

        public int ServerErrors { get; private set; }

        /// <summary>Requests that Kestrel answers itself, with no body, before the application (see <see cref="HostileRequest.RefusedByKestrel"/>).</summary>
        public int RefusedByKestrel { get; private set; }

        public int AcceptedWrites { get; private set; }

        /// <summary>Oversized uploads whose connection the service closed before the client finished sending.</summary>
        public int UploadsCutOff { get; private set; }

        public void CutOffUpload(HostileRequest request, HttpRequestException exception)
        {
            UploadsCutOff++;
            ByCategory[request.Category] = ByCategory.GetValueOrDefault(request.Category) + 1;
            TestContext.Out.WriteLine($"{request}: connection closed during the upload ({exception.Message})");
        }

        public int ChangedByRefusedWrites { get; private set; }

        public void Fail(HostileRequest request, string why) => Failures.Add($"{request}: {why}");

        public void RefusedWriteChangedTheDatabase(HostileRequest request, int status)
        {
            ChangedByRefusedWrites++;
            Fail(request, $"refused with {status}, yet the database changed");
        }

        public void Check(HostileRequest request, HttpResponseMessage response, byte[] body)
        {
            var status = (int)response.StatusCode;
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            ByStatus[key] = ByStatus.GetValueOrDefault(key) + 1;
            ByCategory[request.Category] = ByCategory.GetValueOrDefault(request.Category) + 1;
            if (status >= 500)
            {
                ServerErrors++;
                Fail(request, $"{status}: {Encoding.UTF8.GetString(body)}");
                return;
            }

            if (status is >= 200 and < 300)
            {
                AcceptedWrites += request.IsWrite ? 1 : 0;
                if (status != 204 && !IsJson(body))
                {
                    Fail(request, $"{status} with a body that is not JSON");
                }

                return;
            }

            if (status < 400)
            {
                Fail(request, $"{status}: neither a success nor a client error");
                return;
            }

            if (request.RefusedByKestrel && body.Length == 0 && status is 400 or 414)
            {
                RefusedByKestrel++;
                return;
            }

            if (ContractErrorProblem(response, body) is { } problem)
            {
                Fail(request, $"{status}: {problem}");
            }
        }

        private static bool IsJson(byte[] body)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        /// <summary>Why the answer is not the contract's error (JSON content type, code, message, request id in body and header), or null.</summary>
        private static string? ContractErrorProblem(HttpResponseMessage response, byte[] body)
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/json")
            {
                return $"content type {response.Content.Headers.ContentType}, body '{Encoding.UTF8.GetString(body)}'";
            }

            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                var code = root.GetProperty("error_code").GetString() ?? "";
                var requestId = root.GetProperty("request_id").GetString() ?? "";
                if (!System.Text.RegularExpressions.Regex.IsMatch(code, @"^ModelArts\.\d{4}$"))
                {
                    return $"error_code '{code}'";
                }

                if (string.IsNullOrEmpty(root.GetProperty("error_msg").GetString()))
                {
                    return "an empty error_msg";
                }

                return response.Headers.TryGetValues("X-Request-Id", out var ids) && ids.Single() == requestId && requestId.Length > 0
                    ? null
                    : "request_id missing or not the X-Request-Id header";
            }
            catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return $"not the error body: '{Encoding.UTF8.GetString(body)}'";
            }
        }
    }
}
