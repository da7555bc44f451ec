# Affiche's interface in English: the reference catalog.
#
# Every other catalog has the same message ids with the same variables
# (a test checks). Ids are kebab-case, prefixed by where they are shown:
# nav-, footer-, home-, article-, event-, comments-, login-, editor-,
# admin-, error-, dm-, date-... An id ending in -html may contain markup;
# its variables are escaped. Every other message is plain text.

## Dates: names and orders (jiff has no locale data).

month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mar
month-short-4 = Apr
month-short-5 = May
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Oct
month-short-11 = Nov
month-short-12 = Dec
# 1 is Monday.
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
weekday-short-1 = Mon
weekday-short-2 = Tue
weekday-short-3 = Wed
weekday-short-4 = Thu
weekday-short-5 = Fri
weekday-short-6 = Sat
weekday-short-7 = Sun
# 26 November 2026
date-long = { $day } { $month } { $year }
# Thursday 26 November 2026
date-weekday = { $weekday } { $day } { $month } { $year }
# 26 November 2026, 10:00
date-time = { $date }, { $time }
# November 2026
month-year = { $month } { $year }
# An event on one day: Thursday 26 November 2026, 10:00–12:00 (Europe/Paris)
when-same-day = { $day }, { $start }–{ $end } ({ $zone })
# An event over several days, with times.
when-days = { $start_day }, { $start } – { $end_day }, { $end } ({ $zone })
# An all-day event over several days.
when-all-days = { $start_day } – { $end_day }

## The layout of every page.

skip-to-content = Skip to content
nav-site = Site
nav-home = Home
nav-events = Events
nav-archive = Archive
nav-feed = Feed
footer-follow-html = Follow this site from the fediverse: { $handle }
footer-credit = Published with Affiche

## Home page.

home-follow-html = Follow { $handle } from the fediverse
home-followers = { $count ->
    [one] { $count } follower
   *[other] { $count } followers
}
home-all-articles = All articles by month
home-empty = Nothing published yet.
home-empty-follow-html = Follow { $handle } from the fediverse to hear about the first article.

## Login.

login-title = Write on { $site }
login-intro-html = No account, no password: type your fediverse handle. The site's account { $handle } sends you a private message with a link that logs you in. Your fediverse profile signs what you publish.
login-handle-label = Your fediverse handle
login-handle-hint-html = Like <code>@alice@mastodon.social</code>, <code>alice@mastodon.social</code> or your profile's address.
login-send-link = Send me a login link
login-send-code = I'll send a code instead
login-code-hint = Sending a code yourself works even when your instance hides messages from accounts you don't follow.

## An event's line for the fediverse and feeds.

summary-cancelled = Cancelled: { $text }
summary-tentative = To be confirmed: { $text }
summary-online = Online
summary-also-online = also online

## Articles and their lists.

article-avatar-alt = Avatar of { $name }
article-fediverse-profile = Fediverse profile
article-updated-html = Updated { $date }
article-reading-time = { $minutes } min read
article-tags = Tags
article-report = Report this article
articles-count = { $count ->
    [one] { $count } article
   *[other] { $count } articles
}
pagination-label = Pages
pagination-newer = Newer
pagination-older = Older
pagination-page = Page
page-number = Page { $number }
breadcrumb = Breadcrumb
archive-title = Archive
archive-lede = Every article, month by month.
archive-back-home = Back to the home page
archive-month-empty = Nothing published this month.
archive-all-months = All months
tag-eyebrow = Tag
tag-title = Articles tagged “{ $tag }”
tag-feed = Atom feed for this tag
tag-feed-title = { $site }: { $tag }
tag-empty = No article has this tag yet.
author-eyebrow = Author
author-lede = { $count ->
    [one] { $count } article
   *[other] { $count } articles
} on { $site }
author-lede-page = Page { $number } of the articles on { $site }
gone-title = Gone
gone-heading = Article removed
gone-text = This article was removed by its author or the site (410 Gone).
gone-was-titled = It was titled “{ $title }”.
go-home = Go to the home page
not-found-title = Page not found
not-found-text = There is nothing at this address. The link may be mistyped, or the page may have moved.
not-found-archive = Browse the archive

## Replies from the fediverse under an article or event.

comments-title = Replies from the fediverse
comments-boosts = { $count ->
    [one] { $count } boost
   *[other] { $count } boosts
}
comments-likes = { $count ->
    [one] { $count } favourite
   *[other] { $count } favourites
}
comments-replying-to-html = replying to { $name }
comments-edited-html = edited { $date }
comments-report = Report
comments-report-label = Report the comment by { $name } ({ $date })
comments-reply-title = Reply from the fediverse
comments-reply-help-html = Copy this address, paste it into the search of your Mastodon, Pleroma, Misskey or other fediverse account, and reply to the post of { $handle } that comes up. Your reply appears here; deleting it on your server removes it from this page.
comments-reply-help-held-html = Copy this address, paste it into the search of your Mastodon, Pleroma, Misskey or other fediverse account, and reply to the post of { $handle } that comes up. Your reply appears here once the author approves it; deleting it on your server removes it from this page.
comments-address-label = Address of this article
comments-closed = Replies to this article are closed.
comments-closed-kept = Replies to this article are closed: the replies above stay.

## Events.

event-cancelled-banner-html = <strong>Cancelled.</strong> This event will not take place.
event-over = This event is over.
event-tentative = To be confirmed
event-cancelled = Cancelled
event-online = Online
event-online-event = Online event
event-when = When
event-where = Where
event-add-to-calendar = Add to calendar
event-map = See on OpenStreetMap
event-taking-part = Taking part
event-register-elsewhere-html = Registration on <a href="{ $url }" rel="noopener nofollow">another site</a>
event-register-elsewhere = Registration elsewhere
event-participants = { $count ->
    [one] { $count } participant
   *[other] { $count } participants
}
event-full = full
event-places-left = { $remaining ->
    [one] { $remaining } place left of { $capacity }
   *[other] { $remaining } places left of { $capacity }
}
event-restricted = the organizer approves each participant
event-free = free to join
event-organized-by = Organized by
event-published-html = Published { $date }
event-report = Report this event
participation-register-external = Register on the organizer’s site
participation-no-place = No place left.
participation-handle-label = Take part with your fediverse handle
participation-hint = { $handle } sends you a private message with a link to confirm. On Mobilizon or another fediverse server, you can also search for this page’s address and join from there.
participation-hint-restricted = { $handle } sends you a private message with a link to confirm; the organizer then approves each participant. On Mobilizon or another fediverse server, you can also search for this page’s address and join from there.
participation-submit = Take part
participation-cancel = Cancel a registration
events-title = Events
events-upcoming = Upcoming events
events-past = Past events
events-past-heading = Past
events-in-month = Events in { $month }
events-tagged = Events tagged “{ $tag }”
events-feed-title = { $site } — Events
events-feed-link-title = { $site }: events
events-subscribe = Subscribe to the calendar
events-atom-feed = Atom feed
events-tag-articles = Articles with this tag
events-none-past = No past event yet.
events-none-upcoming = No upcoming event.
events-empty-follow-html = Follow { $handle } from the fediverse to hear about the next one.
events-by-month-label = Events by month
events-by-month = By month

## settings (the admin settings page) and rules (the public rules page)
footer-rules = Rules of this site
settings-title = Settings
settings-rules-link = Public rules page
settings-back-admin = Administration
settings-intro-html = Saved in the site's configuration file { $file }, whose comments and layout are kept; the previous version stays beside it, ending in .bak. The <a href="{ $rules }">rules page</a> shows them to everyone.
settings-nothing-changed = Nothing was changed:
settings-policy-legend = Who may publish
settings-policy-open = Anyone with a fediverse account
settings-policy-instances = Only accounts on these servers
settings-instances-label = Servers
settings-instances-hint = (one a line, such as mastodon.social)
settings-policy-handles = Only these accounts
settings-handles-label = Accounts
settings-handles-hint = (one a line, such as @alice@example.social)
settings-policy-closed = Nobody (closed)
settings-workflow-legend = How articles are published
settings-workflow-direct = At once, by their authors
settings-workflow-review = After an admin's review
settings-languages-label = Accepted languages
settings-languages-hint = (codes such as en fr pt-BR, separated by spaces; empty: any language)
settings-moderation-legend = Replies from the fediverse
settings-moderation-open = Shown at once
settings-moderation-held = Held until an admin approves them
settings-moderation-closed = Not shown
settings-blocks-legend = Blocks
settings-blocked-domains-label = Blocked servers
settings-blocked-domains-hint = (one a line, such as spam.example; their subdomains too: nothing is taken from them, nothing sent to them)
settings-blocked-actors-label = Blocked accounts
settings-blocked-actors-hint = (one a line: @user@server, or an actor address https://…)
settings-blocked-authors-label = Blocked authors
settings-blocked-authors-hint = (one a line, @user@server: they can no longer log in, save or publish)
settings-save = Save
settings-block-author-html = Block the author { $handle }
settings-saved = Saved: the configuration file is updated and the rules page shows the new rules.
settings-unchanged = Nothing to save: the settings were already these.
settings-author-blocked = The author is blocked: that account can no longer log in, save or publish here.
settings-not-a-form = Not a form
settings-expired-heading = Nothing was changed
settings-expired = This page had expired (you may have logged out in another tab): reload it and try again.
settings-not-found = Not found
settings-not-found-text = There is nothing here.
settings-not-writable = Nothing was changed: { $why }.
settings-account-blocked = Account blocked
settings-account-blocked-text = { $handle } is blocked on this site: its owner no longer lets this account log in, save or publish here.
rules-title = Rules of this site
rules-description = Who may publish on this site, how, in which languages, and how replies are moderated.
rules-generated = Generated from the site's configuration: this is what the site does.
rules-publishing-heading = Who may publish
rules-policy-open = Anyone with a fediverse account (Mastodon, Pleroma, Misskey, GoToSocial…) may log in with their handle and publish here.
rules-policy-instances = People with an account on one of these servers may publish here:
rules-policy-handles = Only these accounts may publish here:
rules-policy-closed = This site takes no new articles at the moment: it is closed to authors.
rules-blocked-authors = { $count ->
    [one] { $count } account is blocked from publishing.
   *[other] { $count } accounts are blocked from publishing.
}
rules-workflow-heading = How articles are published
rules-workflow-review = An admin reads every article and event before it is published.
rules-workflow-direct = Articles and events are published at once by their authors.
rules-languages-heading = Languages
rules-languages-some = Articles are accepted in:
rules-languages-any = Articles are accepted in any language.
rules-replies-heading = Replies
rules-replies-held = Replies from the fediverse are shown under an article once an admin has approved them.
rules-replies-closed = Replies from the fediverse are not shown on this site.
rules-replies-open = Replies from the fediverse are shown under the articles they answer; admins may hide or delete them.
rules-servers-heading = Moderated servers
rules-servers-some = This site neither takes anything from these servers nor sends anything to them:
rules-servers-none = No server is blocked.
rules-blocked-accounts = { $count ->
    [one] { $count } account is blocked as well.
   *[other] { $count } accounts are blocked as well.
}
rules-contact-heading = Contact
rules-contact-some = The site's admins:
rules-contact-none = This site lists no admin.

## reports: the admin's doctor and export
doctor-title = Host doctor
doctor-intro-html = The checks of <code>affiche doctor</code>: the <code>.htaccess</code> is honoured, the program runs, WebFinger answers at the domain's root, pages have their ActivityPub twins, the database and the configuration cannot be downloaded, the folders are writable, outgoing HTTPS works, the clock is right, and a signed POST reaches the inbox.
doctor-inside-html = Run from the site itself: the requests go from the host to its own address, { $base }. A host that cannot reach its own public address fails checks that would pass from outside: then run <code>affiche doctor</code> over SSH, or on your computer with <code>--base-url</code>. The permission check runs as the program's own user, the one that matters.
doctor-run = Run the checks
doctor-results = Results
doctor-timed-out-html = The checks did not finish within { $seconds } seconds (an address that does not answer?). Run <code>affiche doctor</code> over SSH to see each one.
doctor-summary = { $failed ->
    [0] No failure
    [one] 1 failure
   *[other] { $failed } failures
}, { $warned ->
    [0] no warning.
    [one] 1 warning.
   *[other] { $warned } warnings.
}
doctor-pass = Passed
doctor-warn = Warning
doctor-fail = Failed
doctor-advice = What to do:
export-title = Export the site
export-intro-html = One zip file with every article and event (Markdown with front matter), their comments and participants, the images, the configuration and the followers: what <code>affiche import</code> restores on another host.
export-warning-html = <strong>It contains the site's secret key</strong> (<code>SECRET-site-key.pem</code>): whoever holds it can speak as the site on the fediverse. Keep the file private; do not send it by e-mail or leave it in a shared folder.
export-download = Download the export
export-failed = The export could not be made
export-no-config = The site's configuration file is no longer where it was read from; nothing was exported.
admin-doctor-link = Doctor
admin-export-link = Export
tools-admin = Administration

