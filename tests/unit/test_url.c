#include "test.h"
#include "url.h"

/* url_https_host: the check every embedded player's src passes. */
static void test_https_host(void) {
  char host[URL_HOST_MAX + 1];
  CHECK(url_https_host("https://www.youtube-nocookie.com/embed/abc?start=3", host));
  CHECK_STR(host, "www.youtube-nocookie.com");
  CHECK(url_https_host("  HTTPS://Player.Vimeo.COM/video/1 ", host));
  CHECK_STR(host, "player.vimeo.com");
  CHECK(url_https_host("https://videos.example.org:8443/v/1#t=10", host));
  CHECK_STR(host, "videos.example.org");
  CHECK(url_https_host("https://learn.microsoft.com", host));
  CHECK_STR(host, "learn.microsoft.com");

  /* Not https, no host, or a host that is not plain. */
  CHECK(!url_https_host("http://www.youtube.com/embed/abc", host));
  CHECK(!url_https_host("//www.youtube.com/embed/abc", host));
  CHECK(!url_https_host("javascript:alert(1)", host));
  CHECK(!url_https_host("media/intro.mp4", host));
  CHECK(!url_https_host("https:///embed", host));
  CHECK(!url_https_host("https://", host));
  CHECK(!url_https_host("https://.example.com/", host));
  CHECK(!url_https_host("https://example.com./", host));
  /* A user name before the host: the browser would go to the part after @. */
  CHECK(!url_https_host("https://www.youtube.com@evil.example/", host));
  CHECK(!url_https_host("https://user:pw@www.youtube.com/", host));
  CHECK(!url_https_host("https://www.youtube.com:443@evil.example/", host));
  CHECK(!url_https_host("https://www.you%74ube.com/", host));
  CHECK(!url_https_host("https://www.youtube.com\\@evil.example/", host));
  CHECK(!url_https_host("https://www.youtube.com/a\\b", host));
  CHECK(!url_https_host("https://www .youtube.com/", host));
}

int main(void) {
  RUN(test_https_host);
  return test_done();
}
