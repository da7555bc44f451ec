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

## Login: waiting, the link

login-check-messages = Check your messages
login-sent-html = We sent a private message to { $handle } from { $site }. Open the link in it to log in. It works once, for { $minutes } minutes.
login-filtered-html = Not in your notifications? On Mastodon, messages from accounts you don't follow go to <strong>Notifications → Filtered notifications</strong> (the banner at the top of your notifications). Elsewhere, look in your direct messages or private mentions.
login-other-device = If you open the link on another device or browser, it will ask for this code:
login-no-message = No message? Send us a code instead
login-send-us-code = Send us this code
login-code-how-html = From { $handle }, send a private message (a mention with “Private mention” or “Direct” visibility) to { $site } with this code:
login-code-wait = This page logs you in as soon as the message arrives; it checks every few seconds. The code works once, for { $minutes } minutes.
login-check-now = Check now
login-start-again = Start again with another handle
login-confirm-title-html = Log in as { $handle }?
login-other-browser = This browser is not the one that asked to log in. Type the code shown on that browser's page:
login-code-label = Code
login-submit = Log in
login-did-not-ask = If you did not ask to log in, close this page: nothing happens until the button is pressed.

## Taking part in an event (the pages of participate.html)

participate-title-html = Take part in { $event }
participate-leave-title-html = Cancel your registration for { $event }
participate-count = { $count ->
    [one] { $count } person takes part
   *[other] { $count } people take part
}
participate-places-left = { $remaining } of { $capacity } places left
participate-how-html = Type your fediverse handle: the site's account { $site } sends you a private message with a link that confirms your registration.
participate-how-restricted-html = Type your fediverse handle: the site's account { $site } sends you a private message with a link that confirms your registration. The organizer then approves each participant.
participate-leave-how-html = Type your fediverse handle: the site's account { $site } sends you a private message with a link that cancels your registration.
participate-send-register = Send me a link to register
participate-send-cancel = Send me a link to cancel
participate-sent-html = We sent a private message to { $handle } from { $site }. Open the link in it to register for { $event }. It works once, for { $minutes } minutes.
participate-leave-sent-html = We sent a private message to { $handle } from { $site }. Open the link in it to cancel your registration for { $event }. It works once, for { $minutes } minutes.
participate-filtered-html = Not in your notifications? On Mastodon, messages from accounts you don't follow go to <strong>Notifications → Filtered notifications</strong>.
participate-confirm-html = Register { $handle } for { $event }?
participate-leave-confirm-html = Cancel the registration of { $handle } for { $event }?
participate-other-browser = This browser is not the one that asked. Type the code shown on that browser's page:
participate-register = Register
participate-cancel-mine = Cancel my registration
participate-did-not-ask = If you did not ask, close this page: nothing happens until the button is pressed.
participate-accepted = You're registered
participate-accepted-text-html = { $handle } takes part in { $event }.
participate-pending = Your registration is waiting for approval
participate-pending-text-html = The organizer of { $event } approves each participant; { $handle } will get a private message with the answer.
participate-full = This event is full
participate-full-text-html = There is no place left at { $event }.
participate-closed = Registration is closed
participate-cancelled = Your registration is cancelled
participate-cancelled-text-html = { $handle } no longer takes part in { $event }.
participate-not-registered = You were not registered
participate-not-registered-text-html = { $handle } was not on the list of { $event }.
participate-cancel-same-way = Cancelling works the same way: we send you a link to confirm.
participate-back = Back to the event

## The editor

editor-log-out = Log out
editor-log-out-everywhere = Log out everywhere
editor-my-articles = My articles
editor-back-to-list = ← My articles
editor-new-article = New article
editor-new-event = New event
editor-admin = Admin
editor-untitled = (untitled)
editor-view = view
editor-events = Events
editor-cancelled = cancelled
editor-no-events = No events yet.
editor-credit-title = Credit in link previews
editor-credit-on = Your profile lets this site credit you: Mastodon shows your name under links to your articles.
editor-credit-off-html = Mastodon can show your name under links to your articles when your profile allows it. On Mastodon: <strong>Preferences → Public profile → Verification → Author attribution</strong>, add { $domain } to “Websites allowed to credit you”, save, then log in here again.
editor-delete-title = Delete “{ $title }”?
editor-delete-published = Its page is replaced by a notice that it was removed, it leaves every list and feed, and the fediverse is told it was deleted. This cannot be undone.
editor-delete-draft = The draft is removed. This cannot be undone.
editor-delete = Delete
editor-keep = Keep it
editor-edit = Edit
editor-view-page = view the page
editor-nothing-saved = Nothing was saved:
editor-title-label = Title
editor-body-label = Text
editor-markdown = (Markdown)
editor-summary-label = Summary
editor-summary-hint = (optional; shown in lists and in the fediverse post)
editor-tags-label = Tags
editor-tags-hint = (separated by commas)
editor-language-label = Language
editor-comments-label = Replies from the fediverse
editor-comments-default = Site default ({ $setting })
editor-comments-open = Open: replies appear on the page
editor-comments-held = Held: replies appear once I approve them
editor-comments-closed = Closed: no new replies on the page
editor-cover = Cover image:
editor-remove = remove
editor-preview = Preview
editor-update = Update
editor-save-draft = Save draft
editor-send-review = Send for review
editor-publish = Publish
editor-replies = Replies
editor-replies-waiting = { $count }, { $waiting } waiting
editor-no-replies = No replies yet.
editor-state-held = waiting for approval
editor-state-hidden = hidden
editor-state-shown = shown
editor-approve = Approve
editor-hide = Hide
editor-show = Show
editor-cover-label = Cover image
editor-cover-hint = (JPEG, PNG, GIF or WebP; its location and camera data are removed)
editor-upload-cover = Upload cover
editor-unpublish = Unpublish
editor-delete-ellipsis = Delete…
participants-title-html = Participants: { $event }
participants-accepted = { $count } accepted
participants-of-places = of { $capacity } places ({ $remaining } left)
participants-pending = { $count } waiting for approval
participants-you-approve = You approve each participant.
participants-who = Who
participants-state = State
participants-from = From
participants-actions = Actions
participants-state-accepted = accepted
participants-state-pending = waiting for approval
participants-state-rejected = rejected
participants-via-web = this page
participants-via-fediverse = the fediverse
participants-reject = Reject
participants-remove = Remove
participants-csv = Download the list (CSV)
participants-none = No one has registered yet.
participants-help = Approving sends an Accept to fediverse participants and a private message to those who registered here; rejecting sends a Reject or a message; removing sends a Reject to fediverse participants and nothing to the others.
participants-back = Back to the editor

## The event editor

event-editor-back = ← My articles and events
event-editor-edit = Edit the event
event-editor-participants = Participants
event-editor-description = Description
event-editor-all-day = All day
event-editor-all-day-hint = (the times are ignored)
event-editor-starts = Starts on
event-editor-at = at
event-editor-ends = Ends on
event-editor-ends-hint = (empty: the same day)
event-editor-zone = Time zone
event-editor-zone-hint = (pick one or type any IANA name, such as Europe/Paris)
event-editor-place = Place
event-editor-street = Street
event-editor-postal-code = Postal code
event-editor-city = City
event-editor-region = Region
event-editor-country = Country
event-editor-latitude = Latitude
event-editor-latitude-hint = (optional, −90 to 90)
event-editor-longitude = Longitude
event-editor-longitude-hint = (optional, −180 to 180)
event-editor-online = Online link
event-editor-online-hint = (for an event online: https://…)
event-editor-join-mode = How people join
event-editor-join-free = Free: anyone who asks is in
event-editor-join-restricted = On approval: I accept each one
event-editor-join-external = Elsewhere: by an external link
event-editor-external = External participation link
event-editor-external-hint = (when people join elsewhere)
event-editor-capacity = Places
event-editor-capacity-hint = (empty: no limit)
event-editor-status = Status
event-editor-confirmed = Confirmed
event-editor-tentative = Tentative
event-editor-category = Category
event-editor-postpone = Postpone to the dates above
event-editor-reinstate = It is on again
event-editor-cancel = Cancel the event

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
settings-expired-heading = Nothing was changed
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

## Administration

admin-title = Administration
admin-settings = Settings
admin-health = Health
admin-review = Waiting for review
admin-direct-html = Authors publish directly (<code>workflow = "direct"</code>); set <code>workflow = "review"</code> under <code>[authors]</code> to approve every article first.
admin-approve-publish = Approve and publish
admin-message-author = Message to the author (when sending it back)
admin-send-back = Send back to draft
admin-nothing-review = Nothing waits for review.
admin-held = Replies waiting for approval
admin-no-held = No reply waits.
admin-reports = Reports
admin-report-web = reported by a reader with the site's form
admin-report-fediverse-html = reported from the fediverse by { $reporter }
admin-report-contact-html = The reader can be reached at { $contact } (for you only: never forwarded).
admin-reported-page = Reported page:
admin-no-longer-published = (no longer published)
admin-also-reported = Also reported:
admin-hide-reply = Hide the reply
admin-delete-reply = Delete the reply
admin-unpublish-page = Unpublish the page
admin-close-report = Close the report
admin-forward-summary = Forward to the reply's server
admin-forward-help = Its moderators receive a report from this site's account (not from the reader), naming the account and the reply, with these words.
admin-forward-help-contact = Its moderators receive a report from this site's account (not from the reader), naming the account and the reply, with these words; the reader's contact is not sent.
admin-forward-text = What the report says
admin-forward = Forward the report
admin-forwarded-on = Forwarded on { $date }.
admin-block-summary = Block a server or an account
admin-block-help-html = Add to <code>[federation]</code> in the site's configuration (merge with the lists already there):
admin-no-reports = No reports.
admin-handled = Handled reports ({ $count } latest)
admin-handled-reader = a reader: { $reason }
admin-handled-on = on { $date }
admin-forwarded = forwarded
admin-published = Published
admin-reply-on = on
admin-delete-by-html = By { $author }.
admin-delete-removed = It is removed. This cannot be undone.

## Site health (admin)

health-title = Site health
health-version-html = affiche { $version } · database schema { $schema }
health-deliveries = Deliveries
health-queue-html = { $pending } waiting ({ $due } due now) · { $done } delivered · { $dropped } given up
health-failing = Servers that keep failing
health-failures = { $count ->
    [one] { $count } failure
   *[other] { $count } failures
}
health-skipped-until = skipped until { $date }
health-delivery-errors = Last delivery errors
health-attempts = { $count ->
    [one] { $count } attempt
   *[other] { $count } attempts
}
health-inbox-errors = Last activities refused or failed
health-activity-from-html = { $kind } from { $actor }
health-followers = Followers
health-since = since { $date }
health-no-followers = No followers yet.

## The setup page (install by upload)

setup-title = Set up Affiche
setup-heading = Set up your Affiche site
setup-intro = Affiche is installed but has no configuration yet. This page creates it: settings, database, the site's key and the first pages.
setup-nothing-changed = Nothing was changed:
setup-no-private-html = <strong>Affiche cannot write its private folder, so nothing was set up.</strong> The web server runs Affiche as the user { $user }, and that user can write neither { $sibling } (next to the web folder, the best place) nor { $inside } (inside it). On a shared host: with your FTP client or your host's file manager, create the folder { $sibling } and give it the permissions 755 (775 if your host runs scripts as another user than your FTP account), then reload this page. If your host lets you use only the web folder, make the web folder itself writable (chmod 755) and reload: Affiche then keeps its private data in { $inside }, which the web does not serve.
setup-prove-html = <strong>First, prove this site is yours.</strong> Affiche wrote a setup secret into the file
setup-secret-help = The web cannot serve this file. Open it with your FTP client or your host's file manager and copy the secret into the form below. Anyone who finds this page before you cannot take the site without it.
setup-inside-html = <strong>Warning:</strong> the folder next to your web folder cannot be written, so the private data (settings, database, the site's key) will go into { $private }, inside the web folder. The shipped <code>.htaccess</code> refuses to serve it; check after setup that { $database } answers 403 or 404. Better: create { $sibling } by FTP, make it writable, and reload this page.
setup-outside-html = The private data (settings, database, the site's key) goes into { $private }, outside the web folder. Back it up.
setup-secret-label = Setup secret
setup-secret-hint-html = From the file { $file } described above.
setup-site-name = Site name
setup-language = Language
setup-language-hint = A language tag: en, fr, de, es, pt-BR…
setup-address = Address of the site
setup-address-hint = Detected from this request; https:// is required (fediverse servers only talk to https sites).
setup-handle = Your fediverse handle
setup-handle-hint = You become the site's admin. You log in with this account: the site sends you a direct message with a login link.
setup-create = Create the site
setup-done-title = Affiche is set up
setup-done-heading = Done: { $title } is set up
setup-done-config-html = The settings are in { $path }, next to the database (back up that folder). The setup page is gone for good; the setup secret was deleted.
setup-done-next-html = Next: <a href="{ $login }">log in</a> as <strong>{ $handle }</strong>. The site sends that account a direct message with a login link: opening it proves the account is yours, and you get the admin pages.
setup-done-then-html = Then see <a href="{ $home }">your site</a>, and edit <code>affiche.toml</code> by FTP for the other settings (time zone, who may publish, comments).
setup-refused = Setup refused

## Setup: errors

setup-not-yet = This site is not set up yet: its owner opens { $path }/affiche.cgi in a browser to set it up.
setup-internal-error = Internal error during setup: nothing was changed. The details are in the server's error log.
setup-csrf = This form was not sent from the setup page in this browser, or it expired: open the setup page again.
setup-no-secret = No setup secret was made: open the setup page first, then read the secret by FTP.
setup-wrong-secret = The setup secret is wrong. It is in the file { $file } (read it by FTP or with your host's file manager).
setup-private-served = This web server hands out the private folder inside the web folder: { $url } can be downloaded by anyone, so your host does not apply the rules of .htaccess there. The setup secret was deleted and nothing was set up. Create the folder { $sibling } next to the web folder by FTP (permissions 755, or 775 if your host runs scripts as another user) and reload this page, or ask your host to honour .htaccess files (AllowOverride All).
nothing-changed = Nothing was changed.

## Login: messages from the program

login-page-title = Log in
error-form-expired = This form had expired (or cookies are blocked for this site). Please try again.
login-type-handle = Type your fediverse handle, such as @alice@mastodon.social.
login-too-many-network = Too many login attempts from your network. Try again in { $minutes } minutes.
login-too-many-account = Too many login messages were sent to this account in the last hour. Try again in { $minutes } minutes, or send us a code instead.
login-too-many-site = Too many login messages were sent by this site in the last hour. Try again in { $minutes } minutes, or send us a code instead.
dm-login-link-html = Your login link for { $site }: <a href="{ $link }">{ $link }</a> It works once, for 15 minutes, in the browser where you asked for it. If you did not ask, ignore this message.
login-none-title = No login in progress
login-none-text = This browser has no login in progress: it may have expired (after 15 minutes) or been finished already.
login-expired-title = This login has expired
login-expired-text = Logins must be finished within 15 minutes. Start again: it takes a minute.
login-bad-link-title = This login link no longer works
login-bad-link-text = Each link works once, for 15 minutes. It may have been used already, have expired, or be incomplete (copy the whole link). Ask for a new one.
error-page-expired-press = This page had expired (or cookies are blocked for this site). Press the button again.
login-wrong-code = That is not the code shown where you asked to log in ({ $tries } tries left). Open the link in that browser, or type its code.
logout-failed-title = Not logged out
error-page-expired-reload = This page had expired. Go back, reload it, and press the button again.

## Errors the program answers

error-no-database = The site cannot open its database; try again later.
error-internal = Internal error: nothing was changed, or only part of what you asked. The details are in the server's error log.
error-internal-page = Internal error: this page could not be made. The details are in the server's error log.
error-not-a-form = Not a form
error-no-action = Not found: this address has no action.
error-method = Method not allowed: use { $allow }.
not-found-here = There is nothing at this address.

## The editor: notices and checks

notice-published = Published: the page is online and the site's account has announced it on the fediverse, mentioning you. Boost it from your account to share it with your followers.
notice-deleted = Deleted.
notice-comment-hidden = The reply is hidden: the page no longer shows it.
notice-comment-shown = The reply is shown on the page again.
notice-comment-approved = The reply is approved: the page shows it.
notice-saved = Saved.
notice-unchanged = Nothing had changed.
notice-pending = Sent for review: the site's owner will publish it.
notice-updated = Updated: the page is rewritten and the fediverse is told.
notice-unpublished = Unpublished: the page is withdrawn and the fediverse is told. It is a draft again.
notice-cover = The cover image is saved.
status-published = Published
status-pending = Waiting for review
status-draft = Draft
status-deleted = Deleted
editor-drafts = Drafts
editor-no-drafts = No drafts.
editor-comments-setting-open = open
editor-comments-setting-held = held
editor-comments-setting-closed = closed
editor-expired = This page had expired (you may have logged out in another tab). Your text is below: copy it, reload the editor, and try again.
editor-unknown-action = Unknown action '{ $action }': use the form's buttons.
editor-incomplete = This form is incomplete: reload the editor and try again.
editor-no-article = No such article
editor-no-article-text = There is no article of yours at this address: it may have been deleted.
editor-no-reply = No such reply
editor-no-reply-text = This reply is not one of this article's: it may have been deleted by its author.
editor-back-to-article = Back to the article
check-title-empty = The title is empty: give the { $kind ->
    [event] event
   *[article] article
} a title.
check-title-long = The title is longer than { $max } characters: shorten it.
check-body-empty = The text is empty: write something before publishing.
check-body-long = The text is { $size } KB; the limit is { $max } KB: split it into several { $kind ->
    [event] events
   *[article] articles
}.
check-summary-long = The summary is longer than { $max } characters: shorten it.
check-lang-tag = '{ $lang }' is not a language code: use one like en, fr or pt-BR.
check-lang-refused = This site publishes in { $accepted } only; '{ $lang }' is not accepted.
check-tag = '{ $tag }' cannot be a tag: use letters or digits, at most 50.
check-tags-many = { $count } tags is too many: keep at most { $max }.
check-cover = The cover image is not one uploaded here: upload it again.
check-comments = '{ $value }' is not a setting for replies: choose one from the list.

## The event editor: notices and checks

notice-event-published = Published: the event's page is online and the site's account has announced it on the fediverse, mentioning you.
notice-event-postponed = Postponed: the page shows the new dates and the fediverse and calendars are told.
notice-event-cancelled = Cancelled: the page says so and the fediverse and calendars are told.
notice-event-reinstated = The event is on again: the page and the fediverse are told.
event-editor-no-event = No such event
event-editor-no-event-text = There is no event of yours at this address: it may have been deleted.
check-date-empty = The { $which ->
    [start] start
   *[end] end
} date is empty: give it as 2026-03-29.
check-date = The { $which ->
    [start] start
   *[end] end
} date: '{ $text }' is not a date: write it as 2026-03-29.
check-last-day = The event ends before it starts: its last day ({ $last }) is before its first ({ $first }).
check-time-empty = The { $which ->
    [start] start
   *[end] end
} time is empty: give it as 14:30, or tick “All day”.
check-time = The { $which ->
    [start] start
   *[end] end
} time: '{ $text }' is not a time of day: write it as 14:30.
check-degrees = The { $which ->
    [latitude] latitude
   *[longitude] longitude
} '{ $text }' is not a number: write it in degrees, like 48.8566.
check-capacity-number = The capacity '{ $text }' is not a whole number: give the number of places, or leave it empty for no limit.
check-status = '{ $text }' is not a status: choose confirmed or tentative.
check-join-mode = '{ $text }' is not a way to join: choose one from the list.
check-ends-before = The event ends before it starts: the end date and time must come after the start.
check-capacity = A capacity of { $count } is not possible: give at least 1 place, or leave it empty for no limit.
field-place-name = place name
field-street = street
field-postal-code = postal code
field-city = city
field-region = region
field-country = country
field-category = category
field-online-link = online link
field-external-link = external participation link
check-markup = The { $field } contains < or >: write it as plain text, without markup.
check-field-long = The { $field } is longer than { $max } characters: shorten it.
check-lat-lon = Give both the latitude and the longitude, or neither.
check-latitude = The latitude { $value } is out of range: it lies between -90 and 90.
check-longitude = The longitude { $value } is out of range: it lies between -180 and 180.
check-web-address = The { $field } '{ $value }' is not a web address: it must start with https:// or http://.
check-external-missing = Joining by an external link needs that link: fill in the external participation link.

## The event editor: postponing

event-editor-postpone-draft = Only a published event is postponed: change the dates and save the draft.
event-editor-postpone-same = To postpone the event, give its new dates first: they are the same as before.

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

## Taking part: messages from the program

closed-not-published = This event is not published.
closed-cancelled = This event is cancelled.
closed-over = This event is over.
closed-elsewhere = Registration for this event happens elsewhere.
closed-full = This event is full.
dm-registration-accepted-html = Your registration for <a href="{ $url }">{ $title }</a> is confirmed: the organizer accepted it.
dm-registration-declined-html = The organizer of <a href="{ $url }">{ $title }</a> declined your registration.
dm-join-link-html = To register for { $title }, open this link: <a href="{ $link }">{ $link }</a> It works once, for 15 minutes, in the browser where you asked. If you did not ask, ignore this message.
dm-leave-link-html = To cancel your registration for { $title }, open this link: <a href="{ $link }">{ $link }</a> It works once, for 15 minutes, in the browser where you asked. If you did not ask, ignore this message.
join-no-event = No such event
join-no-event-text = There is no event at this address: it may have been withdrawn.
join-title = Take part: { $title }
join-leave-title = Cancel: { $title }
join-too-many-network = Too many requests from your network. Try again in { $minutes } minutes.
join-not-handle = '{ $text }' is not a fediverse handle: type it as @user@instance, for example @alice@mastodon.social.
join-blocked = This site does not accept this account or its instance.
join-too-many-account = Too many messages were sent to this account in the last hour. Try again in { $minutes } minutes.
join-too-many-site = Too many messages were sent by this site in the last hour. Try again in { $minutes } minutes.
join-nothing-in-progress = This browser has nothing in progress for this event: it may have expired (after 15 minutes) or been finished already.
join-bad-link = This link no longer works
join-start-again = Start again
join-wrong-code = That is not the code shown where you asked ({ $tries } tries left). Open the link in that browser, or type its code.
participants-page-title = Participants: { $title }
participants-expired = This page had expired. Nothing was changed: press the button again.
participants-choose = Choose approve, reject or remove.
participants-full = The event is full: raise its capacity, or remove someone, before approving more.
participants-gone = That person is no longer on the list (they may have left).

## Administration: messages from the program

nothing-changed-title = Nothing was changed
admin-expired = This page had expired (you may have logged out in another tab): reload it and try again.
admin-only-title = For the site's admins
admin-only-text = { $handle } is not one of this site's admins: these pages are for the handles listed under [admin] in its configuration.
admin-not-found = Not found
admin-not-found-text = There is nothing here, or it was already handled (by another admin, or its author).
admin-notice-approved = Approved: the page is online and the fediverse is told.
admin-notice-rejected = Sent back: it is a draft again, and its author has your message.
admin-notice-unpublished = Unpublished: the page is withdrawn and the fediverse is told.
admin-notice-deleted = Deleted: the page is gone and the fediverse is told.
admin-notice-comment-deleted = The reply is deleted.
admin-notice-flag-dismissed = The report is closed.
admin-notice-flag-unpublished = Unpublished: the page is withdrawn, the fediverse is told, and the report is closed.
admin-notice-flag-forwarded = The report is forwarded to the server of the reported account; it stays open here.
admin-message-long = The message is too long
admin-message-long-text = Keep the message to the author under { $max } characters.
admin-forward-long = The text is too long
admin-forward-long-text = Keep what the forwarded report says under { $max } characters.
admin-not-forwarded = Not forwarded
admin-not-forwarded-text = The server of { $accounts } could not be reached to find where to send the report; nothing was sent. Try again later.
admin-not-forwarded-blocked = { $accounts } is on a blocked server (federation.blocked_domains): nothing was sent there. Hide or delete the reply here instead.
dm-sent-back = Your { $kind ->
    [event] event
   *[article] article
} “{ $title }” was not published on { $site }: it is a draft again, and you can change it and send it again.
dm-sent-back-says = The site's admin says: { $text }

## Cover upload

cover-back = Back to the editor
cover-not-changed = The cover was not changed
cover-expired = This page had expired. Go back, reload the editor, and choose the image again.
cover-none = No image was chosen
cover-none-text = Choose an image file (JPEG, PNG, GIF or WebP) for the cover, then press the button again.
cover-refused = This image cannot be the cover

## Who may write: answers at login

policy-closed = This site does not take new articles at the moment: its owner has closed it to authors.
policy-instances = Only accounts on { $instances } may write here; { $handle } is on { $host }.
policy-handles = { $handle } is not on this site's list of authors; ask its owner to add you.
lookup-not-account = { $typed } is not an account (the fediverse says it is a { $kind }); type the handle of a person, such as @alice@example.social.
lookup-unusable = The account { $typed } cannot be used: { $why }.
lookup-no-inbox = The account { $typed } has no inbox: it cannot receive messages, so it cannot log in here.
lookup-other-account = The instance of { $typed } points to another account ({ $actor }): the handle cannot be used to log in.
lookup-unconfirmed = The instance of { $typed } points to an account on { $host } that does not confirm it: the handle cannot be used to log in.
lookup-no-name = The account at { $typed } has no user name; type its handle (@user@host) instead.
lookup-bad-handle = '{ $typed }' is not a fediverse handle ({ $why }). Type it as @user@instance, for example @alice@mastodon.social.
lookup-not-found = Could not find { $typed } on the fediverse: { $why }. Check the spelling, or try again in a few minutes if the instance is down.

## reports: the report form
report-page-title = Report
report-title-article = Report an article
report-title-event = Report an event
report-title-comment = Report a comment
report-comment-html = You are reporting the comment by { $author } on { $page }:
report-page-html = You are reporting { $page }.
report-who = Your report goes to the people who run { $site }, and to no one else.
report-why = Why do you report it?
report-reason-spam = Spam or advertising
report-reason-illegal = Illegal content
report-reason-harassment = Harassment or hate
report-reason-other = Something else
report-text = What is wrong
report-text-hint = (needed for “Something else”)
report-contact = How to reach you
report-contact-hint = (optional: an e-mail address or a fediverse handle; only the site's admins see it)
report-submit = Send the report
report-expired = This form had expired (or cookies are blocked for this site). Nothing was sent: please try again.
report-choose-reason = Choose why you report it.
report-say-what = Say in a few words what is wrong.
report-text-long = Keep your words under { $max } characters.
report-contact-long = The contact is one line of at most { $max } characters.
report-too-many = Too many reports were sent from your network or to this site in the last hour. Nothing was sent: try again in { $minutes } minutes.
report-not-ours-title = Nothing to report here
report-not-ours = This form reports a page of this site, or a comment shown on it: the address it was given is not one of them (another site, a page no longer published, or a comment already removed). Nothing was sent.
report-home = Home
report-not-a-form = Not a form
report-method = Method not allowed: use GET or POST.
report-thanks-title = Thank you
report-thanks = Your report was sent to the people who run this site. They read every report and decide what to do.
report-back = Back to the page

## What the site says on the fediverse

announce-by-html = By { $author }

## Setup: the form's errors, a site that could not be created

setup-error-title = The site name is empty.
setup-error-language = '{ $language }' is not a language tag: write one such as en, fr or pt-BR.
setup-error-address = The site's address: { $why }.
setup-error-handle = Your handle: { $why }.
setup-create-failed = The site could not be created: { $reason }. Everything this attempt had made was removed again, and no config was written. On a shared host this is usually a permission: the web server runs Affiche as the user { $user }, who must be able to write the web folder and the private folder (chmod 755, or 775 if your host runs scripts as another user than your FTP account). Fix it and send the form again.
setup-busy = The site is being created by another request (the form was sent twice?). Nothing was changed by this one: wait a few seconds and reload the page.

## reports: blocking from a report
admin-block-actor-author = Block the account { $value }
admin-block-domain-author = Block its server { $value }
admin-block-domain-reporter = Block the reporter's server { $value }
admin-blocked-already = { $value } is already blocked.
admin-block-or-by-hand = A block is written into the site's configuration file. If the file cannot be written here, add the line yourself:
admin-block-failed = Nothing was blocked
admin-block-by-hand = Add the line shown with the report to [federation] in the site's configuration yourself.
admin-notice-flag-blocked = Blocked: the site's configuration now lists it; nothing more is accepted from it or delivered to it. The report stays open.

## reports: what was done with a report
admin-outcome-hidden = reply hidden
admin-outcome-deleted = reply deleted
admin-outcome-unpublished = page unpublished
admin-outcome-dismissed = closed

## reports: the doctor's notes
doctor-clock-inside = From here, the answers compared come from this host itself, so a clock that is wrong on the whole host still agrees with itself: run affiche doctor on another computer (with --base-url) to compare it with another clock.

## home: upcoming events
home-events-heading = Upcoming events
home-events-all = All events
home-events-calendar = Calendar (.ics)

## Sweep: the rules page and the setup form

rules-page-title = Rules
setup-default-title = My Affiche site

## settings: problems with the values typed (config_edit)
settings-problem-one-of = { $key }: expected one of { $expected }, got '{ $value }'
settings-problem-language = { $key }: unknown language code '{ $value }' (expected an ISO 639 code such as "en", "fr" or "pt-BR")
settings-problem-domain-empty = { $key }: expected a domain name such as "example.org" (empty), got '{ $value }'
settings-problem-domain-scheme = { $key }: expected a domain name such as "example.org" (no scheme such as https://), got '{ $value }'
settings-problem-domain-path = { $key }: expected a domain name such as "example.org" (no path), got '{ $value }'
settings-problem-domain-account = { $key }: expected a domain name such as "example.org" (a domain, not an account), got '{ $value }'
settings-problem-domain-letters = { $key }: expected a domain name such as "example.org" (letters, digits, hyphens and dots), got '{ $value }'
settings-problem-handle = { $key }: expected a handle with its server such as "@alice@example.social", got '{ $value }'
settings-problem-actor = { $key }: expected a handle such as "@spam@example.org" or an actor address such as "https://example.org/users/spam", got '{ $value }'
settings-problem-instances-empty = authors.instances: the policy "instances" needs at least one instance (or nobody could publish; choose "closed" for that)
settings-problem-handles-empty = authors.handles: the policy "handles" needs at least one handle (or nobody could publish; choose "closed" for that)
settings-problem-admin-blocked = authors.blocked: { $handle } is one of the site's admins (admin.handles); an admin cannot be blocked
settings-problem-admin-server-blocked = federation.blocked_domains: { $server } is the server of @{ $handle }, one of the site's admins (admin.handles); it cannot be blocked
settings-problem-admin-actor-blocked = federation.blocked_actors: @{ $handle } is one of the site's admins (admin.handles); an admin cannot be blocked
settings-problem-not-toml = the config file is not valid TOML, fix it by hand first: { $error }
settings-problem-not-table = { $key }: '{ $part }' in the config file is not a table; fix it by hand first
settings-problem-not-list = { $key }: the config file has something other than a list here; fix it by hand first
settings-problem-config = { $error }
settings-problem-file-read-only = the config file { $file } is read-only, so the settings cannot be saved; make it writable (chmod 644) or edit it by hand
settings-problem-folder-read-only = the folder { $folder } is read-only, so the settings cannot be saved (a new file is written there, then renamed); make it writable (chmod 755) or edit the config by hand
settings-problem-cannot-write = cannot write { $file } ({ $error }), so the settings cannot be saved; make the folder { $folder } writable by the web server or edit the config by hand
