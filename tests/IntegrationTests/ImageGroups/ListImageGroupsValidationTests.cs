using System.Net;
using ImageCatalog.IntegrationTests.Infrastructure;

namespace ImageCatalog.IntegrationTests.ImageGroups;

/// <summary>Every invalid ListImageGroup input is a 400 with the contract's body, naming the parameter.</summary>
public sealed class ListImageGroupsValidationTests : ApiTest
{
    private static readonly string TooLongName = new('a', 513);
    private static readonly string TooLongNamespace = "n" + new string('a', 64);

    public static IEnumerable<TestCaseData> InvalidQueries()
    {
        yield return new TestCaseData($"name={TooLongName}", "name").SetName("name too long");
        yield return new TestCaseData("name=Pytorch", "name").SetName("name upper-case");
        yield return new TestCaseData("name=py%20torch", "name").SetName("name with a space");
        yield return new TestCaseData("name=py/torch", "name").SetName("name with a slash");
        yield return new TestCaseData("name=%25", "name").SetName("name with a percent sign");
        yield return new TestCaseData("name=%5C", "name").SetName("name with a backslash");
        yield return new TestCaseData("name=caf%C3%A9", "name").SetName("name with unicode");
        yield return new TestCaseData("name=x%0A", "name").SetName("name with a trailing newline");
        yield return new TestCaseData("name=%27%20OR%201%3D1%20--", "name").SetName("name with SQL injection");
        yield return new TestCaseData($"namespace={TooLongNamespace}", "namespace").SetName("namespace too long");
        yield return new TestCaseData("namespace=1team", "namespace").SetName("namespace starting with a digit");
        yield return new TestCaseData("namespace=Team", "namespace").SetName("namespace starting upper-case");
        yield return new TestCaseData("namespace=-team", "namespace").SetName("namespace starting with a dash");
        yield return new TestCaseData("namespace=team%3BDROP%20TABLE%20images", "namespace").SetName("namespace with SQL injection");
        yield return new TestCaseData("workspace_id=1", "workspace_id").SetName("workspace id too short");
        yield return new TestCaseData("workspace_id=0123456789ABCDEF0123456789abcdef", "workspace_id").SetName("workspace id upper-case");
        yield return new TestCaseData("workspace_id=0123456789abcdef0123456789abcdef0", "workspace_id").SetName("workspace id 33 chars");
        yield return new TestCaseData("type=PUBLIC", "type").SetName("unknown type");
        yield return new TestCaseData("type=BUILDIN", "type").SetName("type misspelt");
        yield return new TestCaseData("limit=0", "limit").SetName("limit 0");
        yield return new TestCaseData("limit=1001", "limit").SetName("limit 1001");
        yield return new TestCaseData("limit=-1", "limit").SetName("limit -1");
        yield return new TestCaseData("limit=abc", "limit").SetName("limit abc");
        yield return new TestCaseData("limit=1.5", "limit").SetName("limit fractional");
        yield return new TestCaseData("limit=99999999999", "limit").SetName("limit overflowing");
        yield return new TestCaseData("offset=-1", "offset").SetName("offset -1");
        yield return new TestCaseData("offset=2147483648", "offset").SetName("offset past 2^31-1");
        yield return new TestCaseData("offset=ten", "offset").SetName("offset not a number");
        yield return new TestCaseData("name_fuzzy_match=yes", "name_fuzzy_match").SetName("boolean yes");
        yield return new TestCaseData("name_fuzzy_match=1", "name_fuzzy_match").SetName("boolean 1");
        yield return new TestCaseData("name=a&name=b", "name").SetName("name repeated with different values");
        yield return new TestCaseData("limit=5&limit=6", "limit").SetName("limit repeated with different values");
        yield return new TestCaseData("name=%C3%28", "name").SetName("name not valid UTF-8");
        yield return new TestCaseData("name=%FF", "name").SetName("name with a lone 0xFF byte");
        yield return new TestCaseData("swr_instance_id=%FF%FE", "swr_instance_id").SetName("unknown parameter not valid UTF-8");
    }

    [TestCaseSource(nameof(InvalidQueries))]
    public async Task Invalid_input_is_a_400_naming_the_parameter(string query, string parameter)
    {
        using var response = await GetGroupsResponseAsync(NewProjectId(), query);

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Does.StartWith($"Invalid parameter '{parameter}': "));
    }

    [Test]
    public async Task Every_broken_rule_is_reported_at_once()
    {
        using var response = await GetGroupsResponseAsync(NewProjectId(), "limit=0&name=UPPER&namespace=9&offset=-1");

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Does.Contain("'limit'").And.Contain("'name'").And.Contain("'namespace'").And.Contain("'offset'"));
    }

    [Test]
    public async Task The_limit_message_gives_the_bounds()
    {
        using var response = await GetGroupsResponseAsync(NewProjectId(), "limit=1001");

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Is.EqualTo("Invalid parameter 'limit': must be an integer between 1 and 1000."));
    }

    [Test]
    public async Task A_malformed_project_id_is_a_400()
    {
        using var response = await Client.GetAsync("/v1/bad%20project/images/group");

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Does.StartWith("Invalid parameter 'project_id': "));
    }

    [TestCase("limit=1000")]
    [TestCase("limit=1")]
    [TestCase("offset=0")]
    [TestCase("offset=2147483647&limit=1")]
    [TestCase("name=a")]
    [TestCase($"workspace_id=0")]
    [TestCase("name_fuzzy_match=TRUE")]
    [TestCase("name_fuzzy_match=False")]
    [TestCase("swr_instance_id=anything&unknown=1")]
    [TestCase("name=&namespace=&type=&limit=&offset=&workspace_id=&name_fuzzy_match=")]
    [TestCase("limit=5&limit=5")]
    [TestCase("&&limit=5&")]
    public async Task Valid_edge_values_are_accepted(string query)
    {
        using var response = await GetGroupsResponseAsync(NewProjectId(), query);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task The_longest_valid_name_and_namespace_are_accepted()
    {
        var query = $"name={new string('a', 512)}&namespace=n{new string('a', 63)}";

        using var response = await GetGroupsResponseAsync(NewProjectId(), query);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Parameter_names_are_matched_case_insensitively_like_the_rest_of_aspnet()
    {
        var project = NewProjectId();
        await RegisterAsync(project, "swr.example.com/ns/one:1");
        await RegisterAsync(project, "swr.example.com/ns/two:1");

        var page = await GetGroupsAsync(project, "LIMIT=1");

        Assert.That(page.Size, Is.EqualTo(1));
    }
}
