using System.Globalization;
using System.Text;

namespace ImageCatalog.IntegrationTests.Reliability;

/// <summary>One generated request.</summary>
public sealed record HostileRequest(
    string Category,
    HttpMethod Method,
    string PathAndQuery,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[]? Body,
    string? ContentType)
{
    /// <summary>Kestrel's request-line limit (appsettings.json, Kestrel:Limits:MaxRequestLineSize).</summary>
    public const int MaxRequestLineBytes = 16 * 1024;

    public bool IsWrite => Method == HttpMethod.Post || Method == HttpMethod.Put || Method == HttpMethod.Delete || Method == HttpMethod.Patch;

    /// <summary>
    /// Whether Kestrel answers it itself, with an empty 400 or 414, before the application sees it: a request line
    /// over the limit, or a path that decodes to a NUL character.
    /// </summary>
    public bool RefusedByKestrel =>
        Encoding.UTF8.GetByteCount(PathAndQuery) + 32 > MaxRequestLineBytes
        || PathAndQuery.Split('?')[0].Contains("%00", StringComparison.Ordinal);

    public override string ToString()
    {
        var body = Body is null ? "no body" : $"{Body.Length} body bytes ({ContentType ?? "no content type"})";
        var path = PathAndQuery.Length > 300 ? PathAndQuery[..300] + $"... ({PathAndQuery.Length} chars)" : PathAndQuery;
        return $"[{Category}] {Method} {path}, {Headers.Count} extra headers, {body}";
    }
}

/// <summary>
/// Malformed and adversarial requests against every route, drawn from a seeded <see cref="Random"/>, so a run is
/// reproduced from its seed: overlong values, wrong types, repeated parameters, percent-encoding tricks, control
/// characters, invalid UTF-8, SQL and LIKE metacharacters, huge and deeply nested JSON, wrong content types, unknown
/// methods and routes. Most requests carry one hostile part on an otherwise valid request, so each part reaches the
/// layer that must refuse it rather than being stopped by an earlier one.
/// </summary>
public sealed class HostileRequests(int seed, string projectId, IReadOnlyList<Guid> imageIds, IReadOnlyList<Guid> groupIds)
{
    private static readonly string[] Texts =
    [
        "", " ", "a", "A", "0", "-1", "1.5", "1e3", "0x10", "2147483647", "2147483648", "-2147483649", "99999999999999999999999",
        "true", "TRUE", "yes", "null", "undefined", "NaN", "Infinity", "[]", "{}", "[1]",
        "' OR '1'='1", "'; DROP TABLE images; --", "\" OR 1=1 --", "1; SELECT pg_sleep(10)", "$$", "E'\\x00'", "\\", "\\\\",
        "%", "_", "%_%", "\\%", "a%b_c", "[a-z]", "*", ".*", "(?i)x", "^$",
        "ü", "名前", "🙂", "\u202Egnp.exe", "\uFEFF", "e\u0301", "\u0000", "\u0007", "\u001b[31m", "\r\n", "\t", "\u2028", "\uFFFF",
        "../../etc/passwd", "..%2f..%2f", "<script>alert(1)</script>", "${jndi:ldap://x}", "{{7*7}}", "%00",
        "mock", "py", "team-a", "BUILD_IN", "dedicated", "0123456789abcdef0123456789abcdef",
        new('a', 512), new('a', 513), new('n', 4096),
    ];

    /// <summary>Raw query-string fragments, sent as they are: broken escapes, escapes of invalid UTF-8, separators.</summary>
    private static readonly string[] RawEscapes =
    [
        "%", "%2", "%zz", "%FF", "%C3%28", "%E2%82", "%F0%9F", "%00", "%C0%AF", "%ED%A0%80", "%252e", "%u0041",
        "+", "%2B", "%20", "%0A", "%0D%0A", "%2F", "%3F", "%26", "%3D", "%25", "%7F", "%EF%BB%BF",
    ];

    private static readonly string[] ListParameters =
        ["name", "name_fuzzy_match", "namespace", "type", "workspace_id", "limit", "offset"];

    private static readonly string[] ImageListParameters = ["service_type", "sort_key", "sort_dir"];

    private static readonly string[] OtherParameterNames = ["swr_instance_id", "NAME", "Limit", "name[]", "name.x", "", "%6Eame", "na%00me", "force"];

    private static readonly Dictionary<string, string[]> ValidValues = new(StringComparer.Ordinal)
    {
        ["name"] = ["mock", "app", "py_torch.x", "a"],
        ["name_fuzzy_match"] = ["true", "false", "True"],
        ["namespace"] = ["team", "team-a", "hostile"],
        ["type"] = ["BUILD_IN", "DEDICATED", "dedicated"],
        ["workspace_id"] = ["0", "0123456789abcdef0123456789abcdef"],
        ["limit"] = ["1", "20", "1000"],
        ["offset"] = ["0", "10", "2147483647"],
        ["service_type"] = ["TRAIN", "common"],
        ["sort_key"] = ["create_at", "name,namespace", "updateAt"],
        ["sort_dir"] = ["ASC", "desc"],
        ["force"] = ["true", "false"],
    };

    private static readonly string?[] ContentTypes =
    [
        null, "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json; charset=utf-16", "application/json; charset=latin1", "application/jsonp", "*/*", "application/",
        "application/json, text/plain", "APPLICATION/JSON", "application/problem+json", "text/json",
    ];

    private static readonly string[] ExtraHeaderNames = ["X-Request-Id", "Idempotency-Key", "Accept", "Accept-Charset", "Content-Encoding", "X-Forwarded-For", "X-Project-Id", "Range"];

    private readonly Random _random = new(seed);
    private int _serial;

    public HostileRequest Next()
    {
        return _random.Next(9) switch
        {
            0 or 1 => GroupList(),
            2 => ImageList(),
            3 or 4 => Register(),
            5 => ShowOrDeleteImage(),
            6 => EditGroup(),
            7 => DeleteGroup(),
            _ => OddRoute(),
        };
    }

    private HostileRequest GroupList() => Get("group list", $"{Project()}/images/group", Query(ListParameters));

    private HostileRequest ImageList() => Get("image list", $"{Project()}/images", Query([.. ListParameters, .. ImageListParameters]));

    private HostileRequest Get(string category, string path, string query)
    {
        var pathAndQuery = query.Length > 0 ? $"{path}?{query}" : path;
        return new HostileRequest(category, HttpMethod.Get, pathAndQuery, Headers(), null, null);
    }

    private HostileRequest Register()
    {
        var (body, contentType) = Body(RegisterFields());
        var headers = Headers();
        return new HostileRequest("register", HttpMethod.Post, $"{Project()}/images", headers, body, contentType);
    }

    private HostileRequest ShowOrDeleteImage()
    {
        var path = $"{Project()}/images/{Id(imageIds)}";
        if (_random.Next(2) == 0)
        {
            return Get("show image", path, Chance(4) ? Query(["force"]) : "");
        }

        var query = Chance(2) ? Query(["force"]) : "";
        var pathAndQuery = query.Length > 0 ? $"{path}?{query}" : path;
        var (body, contentType) = Chance(2) ? Body(new Dictionary<string, object?> { ["is_force"] = Value() }) : (null, null);
        return new HostileRequest("delete image", HttpMethod.Delete, pathAndQuery, Headers(), body, contentType);
    }

    private HostileRequest EditGroup()
    {
        var fields = new Dictionary<string, object?>();
        if (Chance(2))
        {
            fields["read_me"] = Chance(3) ? new string('r', 30_001) : Value();
        }

        if (Chance(2))
        {
            fields["tags"] = _random.Next(5) switch
            {
                0 => Value(),
                1 => Enumerable.Range(0, 21).Select(i => new Dictionary<string, object?> { ["key"] = $"k{i}", ["value"] = "v" }).ToList(),
                2 => new List<object?> { new Dictionary<string, object?> { ["key"] = "same", ["value"] = "1" }, new Dictionary<string, object?> { ["key"] = "same", ["value"] = "2" } },
                3 => new List<object?> { new Dictionary<string, object?> { ["key"] = Value(), ["value"] = Value() } },
                _ => new List<object?> { new Dictionary<string, object?> { ["key"] = new string('k', 129), ["value"] = new string('v', 256) } },
            };
        }

        var (body, contentType) = Body(fields);
        return new HostileRequest("edit group", HttpMethod.Put, $"{Project()}/images/group/{Id(groupIds)}", Headers(), body, contentType);
    }

    private HostileRequest DeleteGroup()
    {
        var path = $"{Project()}/images/group/{Id(groupIds)}";
        return new HostileRequest("delete group", HttpMethod.Delete, path, Headers(), null, null);
    }

    /// <summary>Methods a route does not have, routes that do not exist, and paths bent by dot segments and slashes.</summary>
    private HostileRequest OddRoute()
    {
        var methods = new[] { HttpMethod.Patch, HttpMethod.Options, new HttpMethod("TRACE"), new HttpMethod("PROPFIND"), HttpMethod.Put, HttpMethod.Delete, HttpMethod.Post, HttpMethod.Get };
        var paths = new[]
        {
            $"/v1/{projectId}/images/group", $"/v1/{projectId}/images", $"/v1/{projectId}/images/group/{Id(groupIds)}/extra",
            $"/v1/{projectId}//images/group", $"/v1/{projectId}/images/group/", $"/v1/{projectId}/./images/group",
            $"/v1/{projectId}/images/../images/group", $"/v2/{projectId}/images/group", $"/v1/{projectId}/images%2Fgroup",
            "/v1", "/", "/v1/images/group", $"/V1/{projectId}/IMAGES/GROUP", $"/v1/{projectId}/images/group;jsessionid=1",
        };
        var method = methods[_random.Next(methods.Length)];
        var path = paths[_random.Next(paths.Length)];
        var (body, contentType) = Chance(3) ? Body(RegisterFields()) : (null, null);
        return new HostileRequest("odd route", method, path, Headers(), body, contentType);
    }

    /// <summary>The path's project: mostly the caller's own, so that the request gets past authorization.</summary>
    private string Project()
    {
        if (!Chance(8))
        {
            return $"/v1/{projectId}";
        }

        return $"/v1/{Encode(Text())}";
    }

    private string Id(IReadOnlyList<Guid> ids) => _random.Next(6) switch
    {
        0 or 1 when ids.Count > 0 => ids[_random.Next(ids.Count)].ToString(),
        2 => Guid.NewGuid().ToString(),
        3 => Guid.NewGuid().ToString("N").ToUpperInvariant(),
        4 => RawEscapes[_random.Next(RawEscapes.Length)],
        _ => Encode(Text()),
    };

    private string Query(string[] known)
    {
        var parts = new List<string>();
        var count = _random.Next(6);
        for (var i = 0; i < count; i++)
        {
            var name = Chance(6) ? OtherParameterNames[_random.Next(OtherParameterNames.Length)] : known[_random.Next(known.Length)];
            var value = Chance(2) && ValidValues.TryGetValue(name, out var valid) ? valid[_random.Next(valid.Length)] : Text();
            var encodedName = name.Contains('%', StringComparison.Ordinal) ? name : Uri.EscapeDataString(name);
            var encodedValue = _random.Next(4) switch
            {
                0 => RawEscapes[_random.Next(RawEscapes.Length)],
                1 => Encode(value) + RawEscapes[_random.Next(RawEscapes.Length)],
                _ => Encode(value),
            };
            parts.Add(Chance(10) ? encodedName : $"{encodedName}={encodedValue}");
            if (Chance(5))
            {
                // Repeated: the same value again, or a conflicting one.
                parts.Add($"{encodedName}={(Chance(2) ? encodedValue : Encode(Text()))}");
            }
        }

        if (Chance(12))
        {
            parts.Add(string.Concat(Enumerable.Repeat("limit=1&", _random.Next(100, 3000))));
        }

        return string.Join(Chance(15) ? ";" : "&", parts);
    }

    private Dictionary<string, object?> RegisterFields()
    {
        var fields = new Dictionary<string, object?>
        {
            ["swr_path"] = $"swr.example.com/hostile/app:{++_serial}",
        };
        var optional = new[] { "description", "arch", "origin", "resource_category", "service_type", "services", "visibility", "workspace_id", "tags", "read_me", "type", "unknown_field" };
        var hostileCount = _random.Next(1, 4);
        for (var i = 0; i < hostileCount; i++)
        {
            var field = Chance(3) ? "swr_path" : optional[_random.Next(optional.Length)];
            fields[field] = _random.Next(8) switch
            {
                0 => new string('d', _random.Next(2) == 0 ? 513 : 3001),
                1 => Enumerable.Repeat((object?)Text(), _random.Next(0, 25)).ToList(),
                2 => new Dictionary<string, object?> { ["nested"] = Value() },
                3 => field == "swr_path" ? $"{Text()}/{Text()}/{Text()}:{Text()}" : Text(),
                4 => field == "swr_path" ? "swr.example.com/" + new string('n', 2100) + ":1" : null,
                _ => Value(),
            };
        }

        return fields;
    }

    private object? Value() => _random.Next(9) switch
    {
        0 => null,
        1 => _random.Next(2) == 0,
        2 => _random.Next(),
        3 => decimal.MaxValue,
        4 => -0.5,
        5 => new List<object?> { Text() },
        6 => new Dictionary<string, object?> { [Text()] = Text() },
        _ => Text(),
    };

    /// <summary>
    /// The body: mostly the fields as JSON with the right content type, otherwise broken JSON, huge or deeply nested
    /// JSON, invalid UTF-8, or a wrong content type.
    /// </summary>
    private (byte[]? Body, string? ContentType) Body(Dictionary<string, object?> fields)
    {
        var json = Json(fields);
        return _random.Next(16) switch
        {
            0 => (Encoding.UTF8.GetBytes(json), ContentTypes[_random.Next(ContentTypes.Length)]),
            1 => (Encoding.UTF8.GetBytes(json[..(json.Length / 2)]), "application/json"),
            2 => (Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("[", 5000)) + string.Concat(Enumerable.Repeat("]", 5000))), "application/json"),
            3 => (Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + string.Concat(Enumerable.Repeat("}", 2000))), "application/json"),
            4 => (Encoding.UTF8.GetBytes($"{{\"swr_path\":\"swr.example.com/hostile/big:1\",\"description\":\"{new string('x', _random.Next(2) == 0 ? 70_000 : 1_100_000)}\"}}"), "application/json"),
            5 => ([.. Encoding.UTF8.GetBytes("{\"swr_path\":\"swr.example.com/hostile/a"), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes(":1\"}")], "application/json"),
            6 => ([], "application/json"),
            7 => (Encoding.UTF8.GetBytes(new[] { "null", "[]", "\"text\"", "42", "true", "{", "}", "{,}", "{'swr_path':'x'}", "{\"a\":1,}", "/* c */{}", "{\"swr_path\":NaN}", "{\"swr_path\":\"a\",\"swr_path\":\"b\"}" }[_random.Next(13)]), "application/json"),
            8 => ([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(json)], "application/json"),
            9 => (Encoding.Unicode.GetBytes(json), "application/json; charset=utf-16"),
            10 => (Encoding.UTF8.GetBytes(json.Replace("\"swr_path\"", "\"swr_path\u0000\"", StringComparison.Ordinal)), "application/json"),
            _ => (Encoding.UTF8.GetBytes(json), "application/json"),
        };
    }

    private IReadOnlyList<KeyValuePair<string, string>> Headers()
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (!Chance(3))
        {
            return headers;
        }

        var count = _random.Next(1, 3);
        for (var i = 0; i < count; i++)
        {
            var name = ExtraHeaderNames[_random.Next(ExtraHeaderNames.Length)];
            // CR, LF and NUL cannot be put on the wire by the client (they would split or end the header), so they stay out.
            var value = new string(Text().Where(character => character is not ('\r' or '\n' or '\0')).ToArray());
            headers.Add(new(name, value.Trim()));
        }

        return headers;
    }

    private string Text() => Texts[_random.Next(Texts.Length)];

    private bool Chance(int oneIn) => _random.Next(oneIn) == 0;

    private static string Json(Dictionary<string, object?> fields) => System.Text.Json.JsonSerializer.Serialize(fields);

    private static string Encode(string value) => Uri.EscapeDataString(value);

    public static int SeedFromEnvironment(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("IMAGECATALOG_HOSTILE_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : fallback;
}
