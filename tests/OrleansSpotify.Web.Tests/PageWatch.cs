using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace OrleansSpotify.Web.Tests;

/// <summary>Console errors and uncaught exceptions of a page.</summary>
internal sealed class ConsoleErrors
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public static ConsoleErrors Watch(IPage page)
    {
        var errors = new ConsoleErrors();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Messages.Enqueue($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => errors.Messages.Enqueue("uncaught: " + error);
        return errors;
    }
}

/// <summary>Content-Security-Policy violations, collected in the page as <c>window.__cspViolations</c>.</summary>
internal static class CspViolations
{
    /// <summary>An init script for a browser context: every page of it records the violations it reports.</summary>
    public const string InitScript = """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(
          `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`));
        """;

    public static Task<string[]> OfAsync(IPage page) => page.EvaluateAsync<string[]>("window.__cspViolations");
}

/// <summary>Every request a page made and every answer it got.</summary>
internal sealed class Traffic
{
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<(string Url, int Status)> _responses = new();

    public static Traffic Watch(IPage page)
    {
        var traffic = new Traffic();
        page.Request += (_, request) => traffic._requests.Enqueue(request.Url);
        page.Response += (_, response) => traffic._responses.Enqueue((response.Url, response.Status));
        return traffic;
    }

    /// <summary>The URLs of the requests seen so far.</summary>
    public IReadOnlyList<Uri> Requests => _requests.Select(url => new Uri(url)).ToList();

    /// <summary>
    /// Every request to <paramref name="origin"/> used one of <paramref name="schemes"/> and went under
    /// <paramref name="prefix"/> (the root when it is empty); none answered 404; the only other authorities are
    /// <paramref name="otherAuthorities"/>.
    /// </summary>
    public void AssertAllUnder(Uri origin, string prefix, string[] schemes, params string[] otherAuthorities)
    {
        var requests = _requests.Select(url => new Uri(url)).ToList();
        var own = requests.Where(u => u.Authority == origin.Authority).ToList();
        Assert.True(own.Count > 10, $"Only {own.Count} requests to {origin.Authority} were seen.");
        var wrongScheme = own.Where(u => !schemes.Contains(u.Scheme)).ToList();
        Assert.True(wrongScheme.Count == 0, $"Requests not over {string.Join('/', schemes)}:\n" + string.Join("\n", wrongScheme));
        var outside = own.Where(u => !u.AbsolutePath.StartsWith(prefix + "/", StringComparison.Ordinal) && u.AbsolutePath != prefix).ToList();
        Assert.True(outside.Count == 0, $"Requests outside {prefix}/:\n" + string.Join("\n", outside));
        var others = requests.Where(u => u.Authority != origin.Authority && !otherAuthorities.Contains(u.Authority)).ToList();
        Assert.True(others.Count == 0, "Requests to other origins:\n" + string.Join("\n", others));
        var missing = _responses.Where(r => r.Status == 404).Select(r => r.Url).ToList();
        Assert.True(missing.Count == 0, "Answered 404:\n" + string.Join("\n", missing));
    }
}
