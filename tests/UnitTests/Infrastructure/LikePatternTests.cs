using ImageCatalog.Infrastructure.Persistence;

namespace ImageCatalog.UnitTests.Infrastructure;

public sealed class LikePatternTests
{
    [TestCase("abc", "%abc%")]
    [TestCase("a_b", @"%a\_b%")]
    [TestCase("100%", @"%100\%%")]
    [TestCase(@"a\b", @"%a\\b%")]
    [TestCase(@"\_%", @"%\\\_\%%")]
    [TestCase("a.b", "%a.b%")]
    public void Escapes_the_like_metacharacters(string text, string expected) =>
        Assert.That(LikePattern.Containing(text), Is.EqualTo(expected));
}
