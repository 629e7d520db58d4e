using FluentValidation;
using ImageCatalog.Api.Http;
using ImageCatalog.Domain.Images;

namespace ImageCatalog.UnitTests.Api;

public sealed class StrictQueryStringTests
{
    [TestCase("?name=abc", "abc")]
    [TestCase("name=abc", "abc")]
    [TestCase("name=a+b", "a b")]
    [TestCase("name=a%2Bb", "a+b")]
    [TestCase("name=caf%C3%A9", "café")]
    [TestCase("name=%F0%9F%90%B3", "🐳")]
    [TestCase("name=100%", "100%")]
    [TestCase("name=%zz", "%zz")]
    [TestCase("name=a%2", "a%2")]
    [TestCase("name=a=b", "a=b")]
    [TestCase("NAME=abc", "abc")]
    [TestCase("x=1&name=abc&y", "abc")]
    [TestCase("name=abc&name=abc", "abc")]
    [TestCase("name=&name=abc", "abc")]
    public void Decodes_values_like_a_form(string query, string expected)
    {
        var parsed = StrictQueryString.Parse(query);

        Assert.That(parsed.GetString("name"), Is.EqualTo(expected));
        Assert.DoesNotThrow(parsed.ThrowIfInvalid);
    }

    [TestCase("")]
    [TestCase(null)]
    [TestCase("?")]
    [TestCase("name=")]
    [TestCase("name")]
    [TestCase("&&&")]
    public void Empty_values_are_absent(string? query) => Assert.That(StrictQueryString.Parse(query).GetString("name"), Is.Null);

    [TestCase("name=%C3%28")]
    [TestCase("name=%FF")]
    [TestCase("name=%ED%A0%80")]
    [TestCase("name=%C0%AF")]
    public void Rejects_percent_escapes_that_are_not_utf8(string query) =>
        AssertFailure(StrictQueryString.Parse(query), "name", "UTF-8");

    [Test]
    public void Rejects_a_parameter_name_that_is_not_utf8() =>
        AssertFailure(StrictQueryString.Parse("%FF=1"), "query", "UTF-8");

    [Test]
    public void Rejects_a_parameter_repeated_with_different_values_once() =>
        AssertFailure(StrictQueryString.Parse("limit=1&limit=2&Limit=3"), "limit", "more than once");

    [TestCase("true", true)]
    [TestCase("TRUE", true)]
    [TestCase("False", false)]
    public void Reads_booleans_case_insensitively(string text, bool expected)
    {
        var parsed = StrictQueryString.Parse($"flag={text}");

        Assert.That(parsed.GetBoolean("flag", !expected), Is.EqualTo(expected));
        Assert.DoesNotThrow(parsed.ThrowIfInvalid);
    }

    [TestCase("yes")]
    [TestCase("1")]
    [TestCase("t")]
    [TestCase("true%20")]
    [TestCase("%20true")]
    public void Rejects_other_booleans(string text)
    {
        var parsed = StrictQueryString.Parse($"flag={text}");
        parsed.GetBoolean("flag", true);
        AssertFailure(parsed, "flag", "true or false");
    }

    [TestCase("0", 0)]
    [TestCase("-1", -1)]
    [TestCase("2147483647", int.MaxValue)]
    [TestCase("007", 7)]
    public void Reads_integers(string text, int expected)
    {
        var parsed = StrictQueryString.Parse($"n={text}");

        Assert.That(parsed.GetInt32("n", 99, "must be an integer"), Is.EqualTo(expected));
        Assert.DoesNotThrow(parsed.ThrowIfInvalid);
    }

    [TestCase("abc")]
    [TestCase("1.5")]
    [TestCase("1e3")]
    [TestCase("2147483648")]
    [TestCase("0x10")]
    [TestCase("+%201")]
    [TestCase("1,000")]
    public void Rejects_other_integers(string text)
    {
        var parsed = StrictQueryString.Parse($"n={text}");
        parsed.GetInt32("n", 5, "must be an integer");
        AssertFailure(parsed, "n", "must be an integer");
    }

    [Test]
    public void Absent_values_take_their_defaults()
    {
        var parsed = StrictQueryString.Parse("");

        Assert.Multiple(() =>
        {
            Assert.That(parsed.GetBoolean("flag", true), Is.True);
            Assert.That(parsed.GetInt32("n", 200, "x"), Is.EqualTo(200));
            Assert.That(parsed.GetEnum<ImageType>("type"), Is.Null);
        });
    }

    [TestCase("BUILD_IN", ImageType.BuildIn)]
    [TestCase("build_in", ImageType.BuildIn)]
    [TestCase("DEDICATED", ImageType.Dedicated)]
    public void Reads_enums_case_insensitively(string text, ImageType expected) =>
        Assert.That(StrictQueryString.Parse($"type={text}").GetEnum<ImageType>("type"), Is.EqualTo(expected));

    [Test]
    public void Rejects_unknown_enum_values_listing_the_known_ones()
    {
        var parsed = StrictQueryString.Parse("type=PUBLIC");
        parsed.GetEnum<ImageType>("type");
        AssertFailure(parsed, "type", "BUILD_IN, DEDICATED");
    }

    [Test]
    public void Collects_every_failure_before_throwing()
    {
        var parsed = StrictQueryString.Parse("a=yes&b=x&c=NOPE&d=1&d=2");
        parsed.GetBoolean("a", true);
        parsed.GetInt32("b", 0, "must be an integer");
        parsed.GetEnum<ImageType>("c");

        var exception = Assert.Throws<ValidationException>(parsed.ThrowIfInvalid);

        Assert.That(exception!.Errors.Select(error => error.PropertyName), Is.EquivalentTo(new[] { "a", "b", "c", "d" }));
    }

    private static void AssertFailure(StrictQueryString parsed, string parameter, string message)
    {
        var exception = Assert.Throws<ValidationException>(parsed.ThrowIfInvalid);
        Assert.That(exception!.Errors.Select(error => error.PropertyName), Is.EqualTo(new[] { parameter }));
        Assert.That(exception.Errors.Single().ErrorMessage, Does.Contain(message));
    }
}
