# L'interface d'Affiche en français. Mêmes identifiants et mêmes
# variables que en.ftl (un test le vérifie). Typographie : apostrophe
# courbe (’), espaces insécables avant : ; ! ? et dans « ».

## Dates

month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre
month-short-1 = janv.
month-short-2 = févr.
month-short-3 = mars
month-short-4 = avr.
month-short-5 = mai
month-short-6 = juin
month-short-7 = juil.
month-short-8 = août
month-short-9 = sept.
month-short-10 = oct.
month-short-11 = nov.
month-short-12 = déc.
weekday-1 = lundi
weekday-2 = mardi
weekday-3 = mercredi
weekday-4 = jeudi
weekday-5 = vendredi
weekday-6 = samedi
weekday-7 = dimanche
weekday-short-1 = lun.
weekday-short-2 = mar.
weekday-short-3 = mer.
weekday-short-4 = jeu.
weekday-short-5 = ven.
weekday-short-6 = sam.
weekday-short-7 = dim.
# « 1er novembre », « 26 novembre 2026 »
date-long = { $day ->
    [1] 1er
   *[other] { $day }
} { $month } { $year }
date-weekday = { $weekday } { $day ->
    [1] 1er
   *[other] { $day }
} { $month } { $year }
date-time = { $date } à { $time }
month-year = { $month } { $year }
when-same-day = { $day } de { $start } à { $end } ({ $zone })
when-days = du { $start_day } à { $start } au { $end_day } à { $end } ({ $zone })
when-all-days = du { $start_day } au { $end_day }

## Mise en page

skip-to-content = Aller au contenu
nav-site = Site
nav-home = Accueil
nav-events = Événements
nav-archive = Archives
nav-feed = Flux
footer-follow-html = Suivre ce site depuis le fédivers : { $handle }
footer-credit = Publié avec Affiche

## Accueil

home-follow-html = Suivez { $handle } depuis le fédivers
home-followers = { $count ->
    [one] { $count } abonné
   *[other] { $count } abonnés
}
home-all-articles = Tous les articles par mois
home-empty = Rien de publié pour l’instant.
home-empty-follow-html = Suivez { $handle } depuis le fédivers pour être prévenu du premier article.

## Connexion

login-title = Écrire sur { $site }
login-intro-html = Ni compte ni mot de passe : saisissez votre identifiant du fédivers. Le compte du site { $handle } vous envoie un message privé avec un lien qui vous connecte. Votre profil du fédivers signe ce que vous publiez.
login-handle-label = Votre identifiant du fédivers
login-handle-hint-html = Par exemple <code>@alice@mastodon.social</code>, <code>alice@mastodon.social</code> ou l’adresse de votre profil.
login-send-link = M’envoyer un lien de connexion
login-send-code = J’enverrai plutôt un code
login-code-hint = Envoyer vous-même un code fonctionne même quand votre instance masque les messages des comptes que vous ne suivez pas.

## La ligne d’un événement pour le fédivers et les flux

summary-cancelled = Annulé : { $text }
summary-tentative = À confirmer : { $text }
summary-online = En ligne
summary-also-online = aussi en ligne

## Articles et leurs listes

article-avatar-alt = Avatar de { $name }
article-fediverse-profile = Profil du fédivers
article-updated-html = Mis à jour le { $date }
article-reading-time = { $minutes } min de lecture
article-tags = Étiquettes
article-report = Signaler cet article
articles-count = { $count ->
    [one] { $count } article
   *[other] { $count } articles
}
pagination-label = Pages
pagination-newer = Plus récents
pagination-older = Plus anciens
pagination-page = Page
page-number = Page { $number }
breadcrumb = Fil d’Ariane
archive-title = Archives
archive-lede = Tous les articles, mois par mois.
archive-back-home = Retour à l’accueil
archive-month-empty = Rien de publié ce mois-ci.
archive-all-months = Tous les mois
tag-eyebrow = Étiquette
tag-title = Articles étiquetés « { $tag } »
tag-feed = Flux Atom de cette étiquette
tag-feed-title = { $site } : { $tag }
tag-empty = Aucun article n’a encore cette étiquette.
author-eyebrow = Auteur ou autrice
author-lede = { $count ->
    [one] { $count } article
   *[other] { $count } articles
} sur { $site }
author-lede-page = Page { $number } des articles sur { $site }
gone-title = Supprimé
gone-heading = Article supprimé
gone-text = Cet article a été supprimé par son auteur ou par le site (410 Gone).
gone-was-titled = Il s’intitulait « { $title } ».
go-home = Aller à l’accueil
not-found-title = Page introuvable
not-found-text = Il n’y a rien à cette adresse. Le lien est peut-être mal saisi, ou la page a été déplacée.
not-found-archive = Parcourir les archives

## Réponses du fédivers sous un article ou un événement

comments-title = Réponses du fédivers
comments-boosts = { $count ->
    [one] { $count } partage
   *[other] { $count } partages
}
comments-likes = { $count ->
    [one] { $count } favori
   *[other] { $count } favoris
}
comments-replying-to-html = en réponse à { $name }
comments-edited-html = modifié le { $date }
comments-report = Signaler
comments-report-label = Signaler le commentaire de { $name } ({ $date })
comments-reply-title = Répondre depuis le fédivers
comments-reply-help-html = Copiez cette adresse, collez-la dans la recherche de votre compte Mastodon, Pleroma, Misskey ou d’un autre serveur du fédivers, et répondez au message de { $handle } qui s’affiche. Votre réponse apparaît ici ; la supprimer sur votre serveur la retire de cette page.
comments-reply-help-held-html = Copiez cette adresse, collez-la dans la recherche de votre compte Mastodon, Pleroma, Misskey ou d’un autre serveur du fédivers, et répondez au message de { $handle } qui s’affiche. Votre réponse apparaît ici une fois approuvée par l’auteur ; la supprimer sur votre serveur la retire de cette page.
comments-address-label = Adresse de cet article
comments-closed = Les réponses à cet article sont fermées.
comments-closed-kept = Les réponses à cet article sont fermées : celles ci-dessus restent.

## Événements

event-cancelled-banner-html = <strong>Annulé.</strong> Cet événement n’aura pas lieu.
event-over = Cet événement est terminé.
event-tentative = À confirmer
event-cancelled = Annulé
event-online = En ligne
event-online-event = Événement en ligne
event-when = Quand
event-where = Où
event-add-to-calendar = Ajouter à l’agenda
event-map = Voir sur OpenStreetMap
event-taking-part = Participer
event-register-elsewhere-html = Inscription sur <a href="{ $url }" rel="noopener nofollow">un autre site</a>
event-register-elsewhere = Inscription ailleurs
event-participants = { $count ->
    [one] { $count } participant
   *[other] { $count } participants
}
event-full = complet
event-places-left = { $remaining ->
    [one] { $remaining } place restante sur { $capacity }
   *[other] { $remaining } places restantes sur { $capacity }
}
event-restricted = l’organisateur approuve chaque participant
event-free = participation libre
event-organized-by = Organisé par
event-published-html = Publié le { $date }
event-report = Signaler cet événement
participation-register-external = S’inscrire sur le site de l’organisateur
participation-no-place = Plus aucune place.
participation-handle-label = Participer avec votre identifiant du fédivers
participation-hint = { $handle } vous envoie un message privé avec un lien de confirmation. Depuis Mobilizon ou un autre serveur du fédivers, vous pouvez aussi rechercher l’adresse de cette page et participer de là.
participation-hint-restricted = { $handle } vous envoie un message privé avec un lien de confirmation ; l’organisateur approuve ensuite chaque participant. Depuis Mobilizon ou un autre serveur du fédivers, vous pouvez aussi rechercher l’adresse de cette page et participer de là.
participation-submit = Participer
participation-cancel = Annuler une inscription
events-title = Événements
events-upcoming = Événements à venir
events-past = Événements passés
events-past-heading = Passés
events-in-month = Événements de { $month }
events-tagged = Événements étiquetés « { $tag } »
events-feed-title = { $site } — Événements
events-feed-link-title = { $site } : événements
events-subscribe = S’abonner à l’agenda
events-atom-feed = Flux Atom
events-tag-articles = Articles avec cette étiquette
events-none-past = Aucun événement passé pour l’instant.
events-none-upcoming = Aucun événement à venir.
events-empty-follow-html = Suivez { $handle } depuis le fédivers pour être prévenu du prochain.
events-by-month-label = Événements par mois
events-by-month = Par mois

## Connexion : attente, le lien

login-check-messages = Consultez vos messages
login-sent-html = Nous avons envoyé un message privé à { $handle } depuis { $site }. Ouvrez le lien qu’il contient pour vous connecter. Il fonctionne une fois, pendant { $minutes } minutes.
login-filtered-html = Rien dans vos notifications ? Sur Mastodon, les messages des comptes que vous ne suivez pas vont dans <strong>Notifications → Notifications filtrées</strong> (le bandeau en haut de vos notifications). Ailleurs, regardez vos messages directs ou mentions privées.
login-other-device = Si vous ouvrez le lien sur un autre appareil ou navigateur, il vous demandera ce code :
login-no-message = Pas de message ? Envoyez-nous plutôt un code
login-send-us-code = Envoyez-nous ce code
login-code-how-html = Depuis { $handle }, envoyez un message privé (une mention en visibilité « Mention privée » ou « Direct ») à { $site } avec ce code :
login-code-wait = Cette page vous connecte dès que le message arrive ; elle vérifie toutes les quelques secondes. Le code fonctionne une fois, pendant { $minutes } minutes.
login-check-now = Vérifier maintenant
login-start-again = Recommencer avec un autre identifiant
login-confirm-title-html = Se connecter en tant que { $handle } ?
login-other-browser = Ce navigateur n’est pas celui qui a demandé la connexion. Saisissez le code affiché sur la page de cet autre navigateur :
login-code-label = Code
login-submit = Se connecter
login-did-not-ask = Si vous n’avez pas demandé à vous connecter, fermez cette page : rien ne se passe tant que le bouton n’est pas pressé.

## Participer à un événement (participate.html)

participate-title-html = Participer à { $event }
participate-leave-title-html = Annuler votre inscription à { $event }
participate-count = { $count ->
    [one] { $count } personne participe
   *[other] { $count } personnes participent
}
participate-places-left = { $remaining } places restantes sur { $capacity }
participate-how-html = Saisissez votre identifiant du fédivers : le compte du site { $site } vous envoie un message privé avec un lien qui confirme votre inscription.
participate-how-restricted-html = Saisissez votre identifiant du fédivers : le compte du site { $site } vous envoie un message privé avec un lien qui confirme votre inscription. L’organisateur approuve ensuite chaque participant.
participate-leave-how-html = Saisissez votre identifiant du fédivers : le compte du site { $site } vous envoie un message privé avec un lien qui annule votre inscription.
participate-send-register = M’envoyer un lien d’inscription
participate-send-cancel = M’envoyer un lien d’annulation
participate-sent-html = Nous avons envoyé un message privé à { $handle } depuis { $site }. Ouvrez le lien qu’il contient pour vous inscrire à { $event }. Il fonctionne une fois, pendant { $minutes } minutes.
participate-leave-sent-html = Nous avons envoyé un message privé à { $handle } depuis { $site }. Ouvrez le lien qu’il contient pour annuler votre inscription à { $event }. Il fonctionne une fois, pendant { $minutes } minutes.
participate-filtered-html = Rien dans vos notifications ? Sur Mastodon, les messages des comptes que vous ne suivez pas vont dans <strong>Notifications → Notifications filtrées</strong>.
participate-confirm-html = Inscrire { $handle } à { $event } ?
participate-leave-confirm-html = Annuler l’inscription de { $handle } à { $event } ?
participate-other-browser = Ce navigateur n’est pas celui qui a fait la demande. Saisissez le code affiché sur la page de cet autre navigateur :
participate-register = M’inscrire
participate-cancel-mine = Annuler mon inscription
participate-did-not-ask = Si vous n’avez rien demandé, fermez cette page : rien ne se passe tant que le bouton n’est pas pressé.
participate-accepted = Vous êtes inscrit
participate-accepted-text-html = { $handle } participe à { $event }.
participate-pending = Votre inscription attend d’être approuvée
participate-pending-text-html = L’organisateur de { $event } approuve chaque participant ; { $handle } recevra la réponse par message privé.
participate-full = Cet événement est complet
participate-full-text-html = Il n’y a plus de place à { $event }.
participate-closed = Les inscriptions sont closes
participate-cancelled = Votre inscription est annulée
participate-cancelled-text-html = { $handle } ne participe plus à { $event }.
participate-not-registered = Vous n’étiez pas inscrit
participate-not-registered-text-html = { $handle } n’était pas sur la liste de { $event }.
participate-cancel-same-way = L’annulation fonctionne de la même façon : nous vous envoyons un lien de confirmation.
participate-back = Retour à l’événement

## L’éditeur

editor-log-out = Se déconnecter
editor-log-out-everywhere = Se déconnecter partout
editor-my-articles = Mes articles
editor-back-to-list = ← Mes articles
editor-new-article = Nouvel article
editor-new-event = Nouvel événement
editor-admin = Administration
editor-untitled = (sans titre)
editor-view = voir
editor-events = Événements
editor-cancelled = annulé
editor-no-events = Aucun événement pour l’instant.
editor-credit-title = Mention dans les aperçus de liens
editor-credit-on = Votre profil autorise ce site à vous citer : Mastodon affiche votre nom sous les liens vers vos articles.
editor-credit-off-html = Mastodon peut afficher votre nom sous les liens vers vos articles si votre profil l’autorise. Sur Mastodon : <strong>Préférences → Profil public → Vérification → Attribution d’auteur</strong>, ajoutez { $domain } aux « Sites web autorisés à vous créditer », enregistrez, puis reconnectez-vous ici.
editor-delete-title = Supprimer « { $title } » ?
editor-delete-published = Sa page est remplacée par un avis de suppression, elle quitte toutes les listes et tous les flux, et le fédivers est informé de la suppression. C’est irréversible.
editor-delete-draft = Le brouillon est supprimé. C’est irréversible.
editor-delete = Supprimer
editor-keep = Le garder
editor-edit = Modifier
editor-view-page = voir la page
editor-nothing-saved = Rien n’a été enregistré :
editor-title-label = Titre
editor-body-label = Texte
editor-markdown = (Markdown)
editor-summary-label = Résumé
editor-summary-hint = (facultatif ; affiché dans les listes et dans le message du fédivers)
editor-tags-label = Étiquettes
editor-tags-hint = (séparées par des virgules)
editor-language-label = Langue
editor-comments-label = Réponses du fédivers
editor-comments-default = Réglage du site ({ $setting })
editor-comments-open = Ouvertes : les réponses apparaissent sur la page
editor-comments-held = Modérées : les réponses apparaissent une fois approuvées
editor-comments-closed = Fermées : aucune nouvelle réponse sur la page
editor-cover = Image de couverture :
editor-remove = retirer
editor-preview = Aperçu
editor-update = Mettre à jour
editor-save-draft = Enregistrer le brouillon
editor-send-review = Envoyer pour relecture
editor-publish = Publier
editor-replies = Réponses
editor-replies-waiting = { $count }, { $waiting } en attente
editor-no-replies = Aucune réponse pour l’instant.
editor-state-held = en attente d’approbation
editor-state-hidden = masquée
editor-state-shown = affichée
editor-approve = Approuver
editor-hide = Masquer
editor-show = Afficher
editor-cover-label = Image de couverture
editor-cover-hint = (JPEG, PNG, GIF ou WebP ; sa localisation et les données de l’appareil sont retirées)
editor-upload-cover = Envoyer la couverture
editor-unpublish = Dépublier
editor-delete-ellipsis = Supprimer…
participants-title-html = Participants : { $event }
participants-accepted = { $count ->
    [one] { $count } accepté
   *[other] { $count } acceptés
}
participants-of-places = sur { $capacity } places ({ $remaining } restantes)
participants-pending = { $count } en attente d’approbation
participants-you-approve = Vous approuvez chaque participant.
participants-who = Qui
participants-state = État
participants-from = Depuis
participants-actions = Actions
participants-state-accepted = accepté
participants-state-pending = en attente d’approbation
participants-state-rejected = refusé
participants-via-web = cette page
participants-via-fediverse = le fédivers
participants-reject = Refuser
participants-remove = Retirer
participants-csv = Télécharger la liste (CSV)
participants-none = Personne ne s’est encore inscrit.
participants-help = Approuver envoie un Accept aux participants du fédivers et un message privé à ceux inscrits ici ; refuser envoie un Reject ou un message ; retirer envoie un Reject aux participants du fédivers et rien aux autres.
participants-back = Retour à l’éditeur

## L’éditeur d’événements

event-editor-back = ← Mes articles et événements
event-editor-edit = Modifier l’événement
event-editor-participants = Participants
event-editor-description = Description
event-editor-all-day = Toute la journée
event-editor-all-day-hint = (les heures sont ignorées)
event-editor-starts = Commence le
event-editor-at = à
event-editor-ends = Finit le
event-editor-ends-hint = (vide : le même jour)
event-editor-zone = Fuseau horaire
event-editor-zone-hint = (choisissez-en un ou saisissez un nom IANA, comme Europe/Paris)
event-editor-place = Lieu
event-editor-street = Rue
event-editor-postal-code = Code postal
event-editor-city = Ville
event-editor-region = Région
event-editor-country = Pays
event-editor-latitude = Latitude
event-editor-latitude-hint = (facultatif, de −90 à 90)
event-editor-longitude = Longitude
event-editor-longitude-hint = (facultatif, de −180 à 180)
event-editor-online = Lien en ligne
event-editor-online-hint = (pour un événement en ligne : https://…)
event-editor-join-mode = Comment participer
event-editor-join-free = Libre : quiconque le demande participe
event-editor-join-restricted = Sur approbation : j’accepte chaque personne
event-editor-join-external = Ailleurs : par un lien externe
event-editor-external = Lien de participation externe
event-editor-external-hint = (quand on s’inscrit ailleurs)
event-editor-capacity = Places
event-editor-capacity-hint = (vide : pas de limite)
event-editor-status = Statut
event-editor-confirmed = Confirmé
event-editor-tentative = Provisoire
event-editor-category = Catégorie
event-editor-postpone = Reporter aux dates ci-dessus
event-editor-reinstate = Il a lieu finalement
event-editor-cancel = Annuler l’événement

## settings (the admin settings page) and rules (the public rules page)
footer-rules = Règles du site
settings-title = Réglages
settings-rules-link = Page publique des règles
settings-back-admin = Administration
settings-intro-html = Enregistrés dans le fichier de configuration du site { $file }, dont les commentaires et la mise en page sont gardés ; la version précédente reste à côté, avec l’extension .bak. La <a href="{ $rules }">page des règles</a> les montre à tout le monde.
settings-nothing-changed = Rien n’a été modifié :
settings-policy-legend = Qui peut publier
settings-policy-open = Tout compte du fédivers
settings-policy-instances = Seulement les comptes de ces serveurs
settings-instances-label = Serveurs
settings-instances-hint = (un par ligne, par exemple mastodon.social)
settings-policy-handles = Seulement ces comptes
settings-handles-label = Comptes
settings-handles-hint = (un par ligne, par exemple @alice@example.social)
settings-policy-closed = Personne (fermé)
settings-workflow-legend = Comment les articles sont publiés
settings-workflow-direct = Tout de suite, par leurs auteurs
settings-workflow-review = Après relecture par un administrateur
settings-languages-label = Langues acceptées
settings-languages-hint = (codes comme en fr pt-BR, séparés par des espaces ; vide : toutes les langues)
settings-moderation-legend = Réponses venues du fédivers
settings-moderation-open = Affichées tout de suite
settings-moderation-held = Retenues jusqu’à l’approbation d’un administrateur
settings-moderation-closed = Pas affichées
settings-blocks-legend = Blocages
settings-blocked-domains-label = Serveurs bloqués
settings-blocked-domains-hint = (un par ligne, par exemple spam.example ; leurs sous-domaines aussi : rien n’est pris chez eux, rien ne leur est envoyé)
settings-blocked-actors-label = Comptes bloqués
settings-blocked-actors-hint = (un par ligne : @utilisateur@serveur, ou une adresse d’acteur https://…)
settings-blocked-authors-label = Auteurs bloqués
settings-blocked-authors-hint = (un par ligne, @utilisateur@serveur : ils ne peuvent plus se connecter, enregistrer ni publier)
settings-save = Enregistrer
settings-block-author-html = Bloquer l’auteur { $handle }
settings-saved = Enregistré : le fichier de configuration est à jour et la page des règles montre les nouvelles règles.
settings-unchanged = Rien à enregistrer : les réglages étaient déjà ceux-ci.
settings-author-blocked = L’auteur est bloqué : ce compte ne peut plus se connecter, enregistrer ni publier ici.
settings-expired-heading = Rien n’a été modifié
settings-not-found = Introuvable
settings-not-found-text = Il n’y a rien ici.
settings-not-writable = Rien n’a été modifié : { $why }.
settings-account-blocked = Compte bloqué
settings-account-blocked-text = { $handle } est bloqué sur ce site : son propriétaire ne permet plus à ce compte de se connecter, d’enregistrer ni de publier ici.
rules-title = Règles du site
rules-description = Qui peut publier sur ce site, comment, dans quelles langues, et comment les réponses sont modérées.
rules-generated = Produite à partir de la configuration du site : c’est ce que le site fait.
rules-publishing-heading = Qui peut publier
rules-policy-open = Toute personne ayant un compte sur le fédivers (Mastodon, Pleroma, Misskey, GoToSocial…) peut se connecter avec son identifiant et publier ici.
rules-policy-instances = Les personnes ayant un compte sur l’un de ces serveurs peuvent publier ici :
rules-policy-handles = Seuls ces comptes peuvent publier ici :
rules-policy-closed = Ce site ne prend pas de nouveaux articles pour le moment : il est fermé aux auteurs.
rules-blocked-authors = { $count ->
    [one] { $count } compte est bloqué et ne peut pas publier.
   *[other] { $count } comptes sont bloqués et ne peuvent pas publier.
}
rules-workflow-heading = Comment les articles sont publiés
rules-workflow-review = Un administrateur relit chaque article et chaque événement avant sa publication.
rules-workflow-direct = Les articles et les événements sont publiés tout de suite par leurs auteurs.
rules-languages-heading = Langues
rules-languages-some = Les articles sont acceptés en :
rules-languages-any = Les articles sont acceptés dans toutes les langues.
rules-replies-heading = Réponses
rules-replies-held = Les réponses venues du fédivers s’affichent sous un article une fois approuvées par un administrateur.
rules-replies-closed = Les réponses venues du fédivers ne sont pas affichées sur ce site.
rules-replies-open = Les réponses venues du fédivers s’affichent sous les articles auxquels elles répondent ; les administrateurs peuvent les masquer ou les supprimer.
rules-servers-heading = Serveurs modérés
rules-servers-some = Ce site ne prend rien de ces serveurs et ne leur envoie rien :
rules-servers-none = Aucun serveur n’est bloqué.
rules-blocked-accounts = { $count ->
    [one] { $count } compte est bloqué également.
   *[other] { $count } comptes sont bloqués également.
}
rules-contact-heading = Contact
rules-contact-some = Les administrateurs du site :
rules-contact-none = Ce site n’indique aucun administrateur.

## Administration

admin-title = Administration
admin-settings = Réglages
admin-health = État
admin-review = En attente de relecture
admin-direct-html = Les auteurs publient directement (<code>workflow = "direct"</code>) ; mettez <code>workflow = "review"</code> sous <code>[authors]</code> pour approuver chaque article avant.
admin-approve-publish = Approuver et publier
admin-message-author = Message à l’auteur (en cas de renvoi)
admin-send-back = Renvoyer en brouillon
admin-nothing-review = Rien n’attend de relecture.
admin-held = Réponses en attente d’approbation
admin-no-held = Aucune réponse n’attend.
admin-reports = Signalements
admin-report-web = signalé par un lecteur avec le formulaire du site
admin-report-fediverse-html = signalé depuis le fédivers par { $reporter }
admin-report-contact-html = Le lecteur peut être joint à { $contact } (pour vous seulement : jamais transmis).
admin-reported-page = Page signalée :
admin-no-longer-published = (plus publiée)
admin-also-reported = Également signalé :
admin-hide-reply = Masquer la réponse
admin-delete-reply = Supprimer la réponse
admin-unpublish-page = Dépublier la page
admin-close-report = Clore le signalement
admin-forward-summary = Transmettre au serveur de la réponse
admin-forward-help = Ses modérateurs reçoivent un signalement du compte de ce site (pas du lecteur), nommant le compte et la réponse, avec ces mots.
admin-forward-help-contact = Ses modérateurs reçoivent un signalement du compte de ce site (pas du lecteur), nommant le compte et la réponse, avec ces mots ; le contact du lecteur n’est pas transmis.
admin-forward-text = Ce que dit le signalement
admin-forward = Transmettre le signalement
admin-forwarded-on = Transmis le { $date }.
admin-block-summary = Bloquer un serveur ou un compte
admin-block-help-html = Ajoutez à <code>[federation]</code> dans la configuration du site (en fusionnant avec les listes déjà présentes) :
admin-no-reports = Aucun signalement.
admin-handled = Signalements traités ({ $count } derniers)
admin-handled-reader = un lecteur : { $reason }
admin-handled-on = le { $date }
admin-forwarded = transmis
admin-published = Publiés
admin-reply-on = sur
admin-delete-by-html = Par { $author }.
admin-delete-removed = Il est supprimé. C’est irréversible.

## État du site (administration)

health-title = État du site
health-version-html = affiche { $version } · schéma de la base { $schema }
health-deliveries = Livraisons
health-queue-html = { $pending } en attente ({ $due } à faire maintenant) · { $done } livrées · { $dropped } abandonnées
health-failing = Serveurs en échec répété
health-failures = { $count ->
    [one] { $count } échec
   *[other] { $count } échecs
}
health-skipped-until = ignoré jusqu’au { $date }
health-delivery-errors = Dernières erreurs de livraison
health-attempts = { $count ->
    [one] { $count } tentative
   *[other] { $count } tentatives
}
health-inbox-errors = Dernières activités refusées ou en échec
health-activity-from-html = { $kind } de { $actor }
health-followers = Abonnés
health-since = depuis le { $date }
health-no-followers = Aucun abonné pour l’instant.

## La page d’installation

setup-title = Installer Affiche
setup-heading = Installer votre site Affiche
setup-intro = Affiche est installé mais n’a pas encore de configuration. Cette page la crée : réglages, base de données, clé du site et premières pages.
setup-nothing-changed = Rien n’a été modifié :
setup-no-private-html = <strong>Affiche ne peut pas écrire son dossier privé : rien n’a été installé.</strong> Le serveur web exécute Affiche sous l’utilisateur { $user }, qui ne peut écrire ni dans { $sibling } (à côté du dossier web, le meilleur endroit) ni dans { $inside } (dedans). Sur un hébergement mutualisé : avec votre client FTP ou le gestionnaire de fichiers de votre hébergeur, créez le dossier { $sibling } et donnez-lui les permissions 755 (775 si votre hébergeur exécute les scripts sous un autre utilisateur que votre compte FTP), puis rechargez cette page. Si votre hébergeur ne vous laisse que le dossier web, rendez plutôt le dossier web lui-même accessible en écriture (chmod 755) et rechargez : Affiche garde alors ses données privées dans { $inside }, que le web ne sert pas.
setup-prove-html = <strong>D’abord, prouvez que ce site est à vous.</strong> Affiche a écrit un secret d’installation dans le fichier
setup-secret-help = Le web ne peut pas servir ce fichier. Ouvrez-le avec votre client FTP ou le gestionnaire de fichiers de votre hébergeur et copiez le secret dans le formulaire ci-dessous. Sans lui, personne qui trouverait cette page avant vous ne peut prendre le site.
setup-inside-html = <strong>Attention :</strong> le dossier à côté de votre dossier web n’est pas accessible en écriture, donc les données privées (réglages, base de données, clé du site) iront dans { $private }, dans le dossier web. Le <code>.htaccess</code> fourni refuse de le servir ; vérifiez après l’installation que { $database } répond 403 ou 404. Mieux : créez { $sibling } par FTP, rendez-le accessible en écriture, et rechargez cette page.
setup-outside-html = Les données privées (réglages, base de données, clé du site) vont dans { $private }, hors du dossier web. Sauvegardez-le.
setup-secret-label = Secret d’installation
setup-secret-hint-html = Dans le fichier { $file } décrit plus haut.
setup-site-name = Nom du site
setup-language = Langue
setup-language-hint = Un code de langue : en, fr, de, es, pt-BR…
setup-address = Adresse du site
setup-address-hint = Déduite de cette requête ; https:// est obligatoire (les serveurs du fédivers ne parlent qu’aux sites en https).
setup-handle = Votre identifiant du fédivers
setup-handle-hint = Vous devenez l’administrateur du site. Vous vous connectez avec ce compte : le site vous envoie un message direct avec un lien de connexion.
setup-create = Créer le site
setup-done-title = Affiche est installé
setup-done-heading = C’est fait : { $title } est installé
setup-done-config-html = Les réglages sont dans { $path }, à côté de la base de données (sauvegardez ce dossier). La page d’installation a disparu pour de bon ; le secret d’installation a été supprimé.
setup-done-next-html = Ensuite : <a href="{ $login }">connectez-vous</a> en tant que <strong>{ $handle }</strong>. Le site envoie à ce compte un message direct avec un lien de connexion : l’ouvrir prouve que le compte est à vous, et vous donne les pages d’administration.
setup-done-then-html = Puis visitez <a href="{ $home }">votre site</a>, et modifiez <code>affiche.toml</code> par FTP pour les autres réglages (fuseau horaire, qui peut publier, commentaires).
setup-refused = Installation refusée

## Installation : erreurs

setup-not-yet = Ce site n’est pas encore installé : son propriétaire ouvre { $path }/affiche.cgi dans un navigateur pour l’installer.
setup-internal-error = Erreur interne pendant l’installation : rien n’a été modifié. Les détails sont dans le journal d’erreurs du serveur.
setup-csrf = Ce formulaire n’a pas été envoyé depuis la page d’installation dans ce navigateur, ou il a expiré : rouvrez la page d’installation.
setup-no-secret = Aucun secret d’installation n’a été créé : ouvrez d’abord la page d’installation, puis lisez le secret par FTP.
setup-wrong-secret = Le secret d’installation est faux. Il est dans le fichier { $file } (lisez-le par FTP ou avec le gestionnaire de fichiers de votre hébergeur).
setup-private-served = Ce serveur web distribue le dossier privé placé dans le dossier web : { $url } peut être téléchargé par n’importe qui, votre hébergeur n’y applique donc pas les règles du fichier .htaccess. Le secret d’installation a été supprimé et rien n’a été installé. Créez le dossier { $sibling } à côté du dossier web par FTP (permissions 755, ou 775 si votre hébergeur exécute les scripts sous un autre utilisateur) puis rechargez cette page, ou demandez à votre hébergeur d’honorer les fichiers .htaccess (AllowOverride All).
nothing-changed = Rien n’a été modifié.

## Connexion : messages du programme

login-page-title = Connexion
error-form-expired = Ce formulaire avait expiré (ou les cookies sont bloqués pour ce site). Veuillez réessayer.
login-type-handle = Saisissez votre identifiant du fédivers, par exemple @alice@mastodon.social.
login-too-many-network = Trop de tentatives de connexion depuis votre réseau. Réessayez dans { $minutes } minutes.
login-too-many-account = Trop de messages de connexion ont été envoyés à ce compte dans la dernière heure. Réessayez dans { $minutes } minutes, ou envoyez-nous plutôt un code.
login-too-many-site = Trop de messages de connexion ont été envoyés par ce site dans la dernière heure. Réessayez dans { $minutes } minutes, ou envoyez-nous plutôt un code.
dm-login-link-html = Votre lien de connexion à { $site } : <a href="{ $link }">{ $link }</a> Il fonctionne une fois, pendant 15 minutes, dans le navigateur où vous l’avez demandé. Si vous n’avez rien demandé, ignorez ce message.
login-none-title = Aucune connexion en cours
login-none-text = Ce navigateur n’a aucune connexion en cours : elle a peut-être expiré (après 15 minutes) ou est déjà terminée.
login-expired-title = Cette connexion a expiré
login-expired-text = Une connexion doit être terminée en 15 minutes. Recommencez : cela prend une minute.
login-bad-link-title = Ce lien de connexion ne fonctionne plus
login-bad-link-text = Chaque lien fonctionne une fois, pendant 15 minutes. Il a peut-être déjà servi, expiré, ou il est incomplet (copiez le lien entier). Demandez-en un nouveau.
error-page-expired-press = Cette page avait expiré (ou les cookies sont bloqués pour ce site). Appuyez de nouveau sur le bouton.
login-wrong-code = Ce n’est pas le code affiché là où vous avez demandé à vous connecter (encore { $tries } essais). Ouvrez le lien dans ce navigateur, ou saisissez son code.
logout-failed-title = Pas déconnecté
error-page-expired-reload = Cette page avait expiré. Revenez en arrière, rechargez-la et appuyez de nouveau sur le bouton.

## Erreurs répondues par le programme

error-no-database = Le site ne peut pas ouvrir sa base de données ; réessayez plus tard.
error-internal = Erreur interne : rien n’a été modifié, ou seulement une partie de ce que vous avez demandé. Les détails sont dans le journal d’erreurs du serveur.
error-internal-page = Erreur interne : cette page n’a pas pu être produite. Les détails sont dans le journal d’erreurs du serveur.
error-not-a-form = Pas un formulaire
error-no-action = Introuvable : cette adresse ne correspond à aucune action.
error-method = Méthode non autorisée : utilisez { $allow }.
not-found-here = Il n’y a rien à cette adresse.

## L’éditeur : avis et vérifications

notice-published = Publié : la page est en ligne et le compte du site l’a annoncée sur le fédivers en vous mentionnant. Partagez-la depuis votre compte pour la montrer à vos abonnés.
notice-deleted = Supprimé.
notice-comment-hidden = La réponse est masquée : la page ne l’affiche plus.
notice-comment-shown = La réponse est de nouveau affichée sur la page.
notice-comment-approved = La réponse est approuvée : la page l’affiche.
notice-saved = Enregistré.
notice-unchanged = Rien n’avait changé.
notice-pending = Envoyé pour relecture : le propriétaire du site le publiera.
notice-updated = Mis à jour : la page est réécrite et le fédivers est informé.
notice-unpublished = Dépublié : la page est retirée et le fédivers est informé. C’est de nouveau un brouillon.
notice-cover = L’image de couverture est enregistrée.
status-published = Publié
status-pending = En attente de relecture
status-draft = Brouillon
status-deleted = Supprimé
editor-drafts = Brouillons
editor-no-drafts = Aucun brouillon.
editor-comments-setting-open = ouvertes
editor-comments-setting-held = modérées
editor-comments-setting-closed = fermées
editor-expired = Cette page avait expiré (vous vous êtes peut-être déconnecté dans un autre onglet). Votre texte est ci-dessous : copiez-le, rechargez l’éditeur et réessayez.
editor-unknown-action = Action inconnue « { $action } » : utilisez les boutons du formulaire.
editor-incomplete = Ce formulaire est incomplet : rechargez l’éditeur et réessayez.
editor-no-article = Article introuvable
editor-no-article-text = Aucun de vos articles n’est à cette adresse : il a peut-être été supprimé.
editor-no-reply = Réponse introuvable
editor-no-reply-text = Cette réponse n’appartient pas à cet article : son auteur l’a peut-être supprimée.
editor-back-to-article = Retour à l’article
check-title-empty = Le titre est vide : donnez un titre à l’{ $kind ->
    [event] événement
   *[article] article
}.
check-title-long = Le titre dépasse { $max } caractères : raccourcissez-le.
check-body-empty = Le texte est vide : écrivez quelque chose avant de publier.
check-body-long = Le texte fait { $size } Ko ; la limite est de { $max } Ko : découpez-le en plusieurs { $kind ->
    [event] événements
   *[article] articles
}.
check-summary-long = Le résumé dépasse { $max } caractères : raccourcissez-le.
check-lang-tag = « { $lang } » n’est pas un code de langue : utilisez-en un comme en, fr ou pt-BR.
check-lang-refused = Ce site publie seulement en { $accepted } ; « { $lang } » n’est pas accepté.
check-tag = « { $tag } » ne peut pas être une étiquette : utilisez des lettres ou des chiffres, 50 au plus.
check-tags-many = { $count } étiquettes, c’est trop : gardez-en { $max } au plus.
check-cover = L’image de couverture n’a pas été envoyée ici : envoyez-la de nouveau.
check-comments = « { $value } » n’est pas un réglage des réponses : choisissez-en un dans la liste.

## L’éditeur d’événements : avis et vérifications

notice-event-published = Publié : la page de l’événement est en ligne et le compte du site l’a annoncée sur le fédivers en vous mentionnant.
notice-event-postponed = Reporté : la page affiche les nouvelles dates et le fédivers et les agendas sont informés.
notice-event-cancelled = Annulé : la page l’indique et le fédivers et les agendas sont informés.
notice-event-reinstated = L’événement a lieu finalement : la page et le fédivers sont informés.
event-editor-no-event = Événement introuvable
event-editor-no-event-text = Aucun de vos événements n’est à cette adresse : il a peut-être été supprimé.
check-date-empty = La date de { $which ->
    [start] début
   *[end] fin
} est vide : donnez-la sous la forme 2026-03-29.
check-date = La date de { $which ->
    [start] début
   *[end] fin
} : « { $text } » n’est pas une date : écrivez-la sous la forme 2026-03-29.
check-last-day = L’événement finit avant de commencer : son dernier jour ({ $last }) précède le premier ({ $first }).
check-time-empty = L’heure de { $which ->
    [start] début
   *[end] fin
} est vide : donnez-la sous la forme 14:30, ou cochez « Toute la journée ».
check-time = L’heure de { $which ->
    [start] début
   *[end] fin
} : « { $text } » n’est pas une heure : écrivez-la sous la forme 14:30.
check-degrees = La { $which ->
    [latitude] latitude
   *[longitude] longitude
} « { $text } » n’est pas un nombre : écrivez-la en degrés, comme 48.8566.
check-capacity-number = La capacité « { $text } » n’est pas un nombre entier : donnez le nombre de places, ou laissez vide pour ne pas limiter.
check-status = « { $text } » n’est pas un statut : choisissez confirmé ou provisoire.
check-join-mode = « { $text } » n’est pas une façon de participer : choisissez-en une dans la liste.
check-ends-before = L’événement finit avant de commencer : la date et l’heure de fin doivent suivre le début.
check-capacity = Une capacité de { $count } est impossible : donnez au moins 1 place, ou laissez vide pour ne pas limiter.
field-place-name = nom du lieu
field-street = rue
field-postal-code = code postal
field-city = ville
field-region = région
field-country = pays
field-category = catégorie
field-online-link = lien en ligne
field-external-link = lien de participation externe
check-markup = Le champ « { $field } » contient < ou > : écrivez du texte simple, sans balises.
check-field-long = Le champ « { $field } » dépasse { $max } caractères : raccourcissez-le.
check-lat-lon = Donnez la latitude et la longitude, ou aucune des deux.
check-latitude = La latitude { $value } est hors limites : elle est comprise entre -90 et 90.
check-longitude = La longitude { $value } est hors limites : elle est comprise entre -180 et 180.
check-web-address = Le champ « { $field } » (« { $value } ») n’est pas une adresse web : elle doit commencer par https:// ou http://.
check-external-missing = Participer par un lien externe demande ce lien : remplissez le lien de participation externe.

## L’éditeur d’événements : report

event-editor-postpone-draft = Seul un événement publié se reporte : changez les dates et enregistrez le brouillon.
event-editor-postpone-same = Pour reporter l’événement, donnez d’abord ses nouvelles dates : ce sont les mêmes qu’avant.

## reports: the admin's doctor and export
doctor-title = Diagnostic de l'hébergement
doctor-intro-html = Les vérifications de <code>affiche doctor</code> : le <code>.htaccess</code> est pris en compte, le programme s'exécute, WebFinger répond à la racine du domaine, les pages ont leurs jumelles ActivityPub, la base de données et la configuration ne sont pas téléchargeables, les dossiers sont accessibles en écriture, le HTTPS sortant fonctionne, l'horloge est à l'heure, et un POST signé atteint la boîte de réception.
doctor-inside-html = Lancées depuis le site lui-même : les requêtes partent de l'hébergement vers sa propre adresse, { $base }. Un hébergement qui ne peut pas joindre sa propre adresse publique échoue à des vérifications qui passeraient depuis l'extérieur : lancez alors <code>affiche doctor</code> en SSH, ou sur votre ordinateur avec <code>--base-url</code>. La vérification des droits se fait sous l'utilisateur du programme, celui qui compte.
doctor-run = Lancer les vérifications
doctor-results = Résultats
doctor-timed-out-html = Les vérifications n'ont pas fini en { $seconds } secondes (une adresse qui ne répond pas ?). Lancez <code>affiche doctor</code> en SSH pour les voir une à une.
doctor-summary = { $failed ->
    [0] Aucun échec
    [one] 1 échec
   *[other] { $failed } échecs
}, { $warned ->
    [0] aucun avertissement.
    [one] 1 avertissement.
   *[other] { $warned } avertissements.
}
doctor-pass = Réussi
doctor-warn = Avertissement
doctor-fail = Échec
doctor-advice = Que faire :
export-title = Exporter le site
export-intro-html = Un fichier zip avec chaque article et chaque événement (Markdown avec en-tête), leurs commentaires et participants, les images, la configuration et les abonnés : ce que <code>affiche import</code> restaure sur un autre hébergement.
export-warning-html = <strong>Il contient la clé secrète du site</strong> (<code>SECRET-site-key.pem</code>) : qui la détient peut parler au nom du site sur le fédivers. Gardez ce fichier pour vous ; ne l'envoyez pas par e-mail et ne le laissez pas dans un dossier partagé.
export-download = Télécharger l'export
export-failed = L'export n'a pas pu être fait
export-no-config = Le fichier de configuration du site n'est plus là où il a été lu ; rien n'a été exporté.
admin-doctor-link = Diagnostic
admin-export-link = Export
tools-admin = Administration

## Participation : messages du programme

closed-not-published = Cet événement n’est pas publié.
closed-cancelled = Cet événement est annulé.
closed-over = Cet événement est terminé.
closed-elsewhere = L’inscription à cet événement se fait ailleurs.
closed-full = Cet événement est complet.
dm-registration-accepted-html = Votre inscription à <a href="{ $url }">{ $title }</a> est confirmée : l’organisateur l’a acceptée.
dm-registration-declined-html = L’organisateur de <a href="{ $url }">{ $title }</a> a refusé votre inscription.
dm-join-link-html = Pour vous inscrire à { $title }, ouvrez ce lien : <a href="{ $link }">{ $link }</a> Il fonctionne une fois, pendant 15 minutes, dans le navigateur où vous l’avez demandé. Si vous n’avez rien demandé, ignorez ce message.
dm-leave-link-html = Pour annuler votre inscription à { $title }, ouvrez ce lien : <a href="{ $link }">{ $link }</a> Il fonctionne une fois, pendant 15 minutes, dans le navigateur où vous l’avez demandé. Si vous n’avez rien demandé, ignorez ce message.
join-no-event = Événement introuvable
join-no-event-text = Il n’y a aucun événement à cette adresse : il a peut-être été retiré.
join-title = Participer : { $title }
join-leave-title = Annuler : { $title }
join-too-many-network = Trop de demandes depuis votre réseau. Réessayez dans { $minutes } minutes.
join-not-handle = « { $text } » n’est pas un identifiant du fédivers : écrivez-le sous la forme @utilisateur@instance, par exemple @alice@mastodon.social.
join-blocked = Ce site n’accepte pas ce compte ni son instance.
join-too-many-account = Trop de messages ont été envoyés à ce compte dans la dernière heure. Réessayez dans { $minutes } minutes.
join-too-many-site = Trop de messages ont été envoyés par ce site dans la dernière heure. Réessayez dans { $minutes } minutes.
join-nothing-in-progress = Ce navigateur n’a rien en cours pour cet événement : la demande a peut-être expiré (après 15 minutes) ou est déjà terminée.
join-bad-link = Ce lien ne fonctionne plus
join-start-again = Recommencer
join-wrong-code = Ce n’est pas le code affiché là où vous avez fait la demande (encore { $tries } essais). Ouvrez le lien dans ce navigateur, ou saisissez son code.
participants-page-title = Participants : { $title }
participants-expired = Cette page avait expiré. Rien n’a été modifié : appuyez de nouveau sur le bouton.
participants-choose = Choisissez approuver, refuser ou retirer.
participants-full = L’événement est complet : augmentez sa capacité, ou retirez quelqu’un, avant d’en approuver d’autres.
participants-gone = Cette personne n’est plus sur la liste (elle est peut-être partie).

## Administration : messages du programme

nothing-changed-title = Rien n’a été modifié
admin-expired = Cette page avait expiré (vous vous êtes peut-être déconnecté dans un autre onglet) : rechargez-la et réessayez.
admin-only-title = Réservé aux administrateurs du site
admin-only-text = { $handle } n’est pas administrateur de ce site : ces pages sont réservées aux identifiants listés sous [admin] dans sa configuration.
admin-not-found = Introuvable
admin-not-found-text = Il n’y a rien ici, ou c’est déjà traité (par un autre administrateur, ou par son auteur).
admin-notice-approved = Approuvé : la page est en ligne et le fédivers est informé.
admin-notice-rejected = Renvoyé : c’est de nouveau un brouillon, et son auteur a reçu votre message.
admin-notice-unpublished = Dépublié : la page est retirée et le fédivers est informé.
admin-notice-deleted = Supprimé : la page a disparu et le fédivers est informé.
admin-notice-comment-deleted = La réponse est supprimée.
admin-notice-flag-dismissed = Le signalement est clos.
admin-notice-flag-unpublished = Dépublié : la page est retirée, le fédivers est informé et le signalement est clos.
admin-notice-flag-forwarded = Le signalement est transmis au serveur du compte signalé ; il reste ouvert ici.
admin-message-long = Le message est trop long
admin-message-long-text = Gardez le message à l’auteur sous { $max } caractères.
admin-forward-long = Le texte est trop long
admin-forward-long-text = Gardez le texte du signalement transmis sous { $max } caractères.
admin-not-forwarded = Non transmis
admin-not-forwarded-text = Le serveur de { $accounts } n’a pas pu être joint pour savoir où envoyer le signalement ; rien n’a été envoyé. Réessayez plus tard.
admin-not-forwarded-blocked = { $accounts } est sur un serveur bloqué (federation.blocked_domains) : rien n’y a été envoyé. Masquez ou supprimez plutôt la réponse ici.
dm-sent-back = Votre { $kind ->
    [event] événement
   *[article] article
} « { $title } » n’a pas été publié sur { $site } : c’est de nouveau un brouillon, vous pouvez le modifier et l’envoyer de nouveau.
dm-sent-back-says = L’administrateur du site dit : { $text }

## Envoi de la couverture

cover-back = Retour à l’éditeur
cover-not-changed = La couverture n’a pas été modifiée
cover-expired = Cette page avait expiré. Revenez en arrière, rechargez l’éditeur et choisissez l’image de nouveau.
cover-none = Aucune image choisie
cover-none-text = Choisissez un fichier image (JPEG, PNG, GIF ou WebP) pour la couverture, puis appuyez de nouveau sur le bouton.
cover-refused = Cette image ne peut pas servir de couverture

## Qui peut écrire : réponses à la connexion

policy-closed = Ce site ne prend pas de nouveaux articles pour le moment : son propriétaire l’a fermé aux auteurs.
policy-instances = Seuls les comptes de { $instances } peuvent écrire ici ; { $handle } est sur { $host }.
policy-handles = { $handle } n’est pas sur la liste des auteurs de ce site ; demandez à son propriétaire de vous ajouter.
lookup-not-account = { $typed } n’est pas un compte (le fédivers dit que c’est un { $kind }) ; saisissez l’identifiant d’une personne, comme @alice@example.social.
lookup-unusable = Le compte { $typed } ne peut pas être utilisé : { $why }.
lookup-no-inbox = Le compte { $typed } n’a pas de boîte de réception : il ne peut pas recevoir de messages, donc pas se connecter ici.
lookup-other-account = L’instance de { $typed } renvoie vers un autre compte ({ $actor }) : cet identifiant ne peut pas servir à se connecter.
lookup-unconfirmed = L’instance de { $typed } renvoie vers un compte sur { $host } qui ne le confirme pas : cet identifiant ne peut pas servir à se connecter.
lookup-no-name = Le compte à l’adresse { $typed } n’a pas de nom d’utilisateur ; saisissez plutôt son identifiant (@utilisateur@hôte).
lookup-bad-handle = « { $typed } » n’est pas un identifiant du fédivers ({ $why }). Écrivez-le sous la forme @utilisateur@instance, par exemple @alice@mastodon.social.
lookup-not-found = Impossible de trouver { $typed } sur le fédivers : { $why }. Vérifiez l’orthographe, ou réessayez dans quelques minutes si l’instance est en panne.

## reports: the report form
report-page-title = Signaler
report-title-article = Signaler un article
report-title-event = Signaler un événement
report-title-comment = Signaler un commentaire
report-comment-html = Vous signalez le commentaire de { $author } sur { $page } :
report-page-html = Vous signalez { $page }.
report-who = Votre signalement va aux personnes qui gèrent { $site }, et à personne d'autre.
report-why = Pourquoi le signalez-vous ?
report-reason-spam = Spam ou publicité
report-reason-illegal = Contenu illégal
report-reason-harassment = Harcèlement ou haine
report-reason-other = Autre chose
report-text = Ce qui ne va pas
report-text-hint = (nécessaire pour « Autre chose »)
report-contact = Comment vous joindre
report-contact-hint = (facultatif : une adresse e-mail ou un identifiant du fédivers ; seuls les administrateurs du site la voient)
report-submit = Envoyer le signalement
report-expired = Ce formulaire avait expiré (ou les cookies sont bloqués pour ce site). Rien n'a été envoyé : réessayez.
report-choose-reason = Choisissez pourquoi vous le signalez.
report-say-what = Dites en quelques mots ce qui ne va pas.
report-text-long = Gardez votre texte sous { $max } caractères.
report-contact-long = Le contact tient sur une ligne d'au plus { $max } caractères.
report-too-many = Trop de signalements ont été envoyés depuis votre réseau ou à ce site dans la dernière heure. Rien n'a été envoyé : réessayez dans { $minutes } minutes.
report-not-ours-title = Rien à signaler ici
report-not-ours = Ce formulaire signale une page de ce site, ou un commentaire affiché dessus : l'adresse donnée n'en est pas une (un autre site, une page qui n'est plus publiée, ou un commentaire déjà retiré). Rien n'a été envoyé.
report-home = Accueil
report-not-a-form = Ce n'est pas un formulaire
report-method = Méthode non autorisée : utilisez GET ou POST.
report-thanks-title = Merci
report-thanks = Votre signalement a été envoyé aux personnes qui gèrent ce site. Elles lisent chaque signalement et décident de la suite.
report-back = Retour à la page

## Ce que le site dit sur le fédivers

announce-by-html = Par { $author }

## Setup: the form's errors, a site that could not be created

setup-error-title = Le nom du site est vide.
setup-error-language = « { $language } » n’est pas un code de langue : écrivez-en un comme en, fr ou pt-BR.
setup-error-address = L’adresse du site : { $why }.
setup-error-handle = Votre identifiant : { $why }.
setup-create-failed = Le site n’a pas pu être créé : { $reason }. Tout ce que cette tentative avait créé a été retiré, et aucune configuration n’a été écrite. Sur un hébergement mutualisé, c’est en général une question de permissions : le serveur web exécute Affiche sous l’utilisateur { $user }, qui doit pouvoir écrire dans le dossier web et dans le dossier privé (chmod 755, ou 775 si votre hébergeur exécute les scripts sous un autre utilisateur que votre compte FTP). Corrigez-le et renvoyez le formulaire.
setup-busy = Le site est en cours de création par une autre requête (le formulaire a-t-il été envoyé deux fois ?). Celle-ci n’a rien modifié : attendez quelques secondes et rechargez la page.

## reports: blocking from a report
admin-block-actor-author = Bloquer le compte { $value }
admin-block-domain-author = Bloquer son serveur { $value }
admin-block-domain-reporter = Bloquer le serveur qui signale, { $value }
admin-blocked-already = { $value } est déjà bloqué.
admin-block-or-by-hand = Un blocage est écrit dans le fichier de configuration du site. Si le fichier ne peut pas être écrit d'ici, ajoutez la ligne vous-même :
admin-block-failed = Rien n'a été bloqué
admin-block-by-hand = Ajoutez vous-même la ligne affichée avec le signalement à [federation] dans la configuration du site.
admin-notice-flag-blocked = Bloqué : la configuration du site le mentionne désormais ; plus rien n'en est accepté ni ne lui est envoyé. Le signalement reste ouvert.

## reports: what was done with a report
admin-outcome-hidden = réponse masquée
admin-outcome-deleted = réponse supprimée
admin-outcome-unpublished = page dépubliée
admin-outcome-dismissed = classé

## reports: the doctor's notes
doctor-clock-inside = D'ici, les réponses comparées viennent de l'hébergement lui-même : une horloge fausse sur tout l'hébergement reste d'accord avec elle-même. Lancez affiche doctor sur un autre ordinateur (avec --base-url) pour la comparer à une autre horloge.

## home: upcoming events
home-events-heading = Prochains événements
home-events-all = Tous les événements
home-events-calendar = Agenda (.ics)

## Balayage : la page des règles et le formulaire d’installation

rules-page-title = Règles
setup-default-title = Mon site Affiche

## settings: problems with the values typed (config_edit)
settings-problem-one-of = { $key } : une de ces valeurs était attendue : { $expected } ; reçu « { $value } »
settings-problem-language = { $key } : code de langue inconnu « { $value } » (un code ISO 639 était attendu, comme "en", "fr" ou "pt-BR")
settings-problem-domain-empty = { $key } : un nom de domaine était attendu, comme "example.org" (ici vide) ; reçu « { $value } »
settings-problem-domain-scheme = { $key } : un nom de domaine était attendu, comme "example.org" (sans préfixe tel que https://) ; reçu « { $value } »
settings-problem-domain-path = { $key } : un nom de domaine était attendu, comme "example.org" (sans chemin) ; reçu « { $value } »
settings-problem-domain-account = { $key } : un nom de domaine était attendu, comme "example.org" (un domaine, pas un compte) ; reçu « { $value } »
settings-problem-domain-letters = { $key } : un nom de domaine était attendu, comme "example.org" (lettres, chiffres, tirets et points) ; reçu « { $value } »
settings-problem-handle = { $key } : un identifiant avec son serveur était attendu, comme "@alice@example.social" ; reçu « { $value } »
settings-problem-actor = { $key } : un identifiant comme "@spam@example.org" ou l’adresse d’un acteur comme "https://example.org/users/spam" était attendu ; reçu « { $value } »
settings-problem-instances-empty = authors.instances : la règle "instances" demande au moins une instance (sinon personne ne pourrait publier ; choisissez "closed" pour cela)
settings-problem-handles-empty = authors.handles : la règle "handles" demande au moins un identifiant (sinon personne ne pourrait publier ; choisissez "closed" pour cela)
settings-problem-admin-blocked = authors.blocked : { $handle } est l’un des administrateurs du site (admin.handles) ; un administrateur ne peut pas être bloqué
settings-problem-admin-server-blocked = federation.blocked_domains : { $server } est le serveur de @{ $handle }, l’un des administrateurs du site (admin.handles) ; il ne peut pas être bloqué
settings-problem-admin-actor-blocked = federation.blocked_actors : @{ $handle } est l’un des administrateurs du site (admin.handles) ; un administrateur ne peut pas être bloqué
settings-problem-not-toml = le fichier de configuration n’est pas du TOML valide, corrigez-le d’abord à la main : { $error }
settings-problem-not-table = { $key } : « { $part } » n’est pas une table dans le fichier de configuration ; corrigez-le d’abord à la main
settings-problem-not-list = { $key } : le fichier de configuration contient ici autre chose qu’une liste ; corrigez-le d’abord à la main
settings-problem-config = { $error }
settings-problem-file-read-only = le fichier de configuration { $file } est en lecture seule, les réglages ne peuvent donc pas être enregistrés ; rendez-le modifiable (chmod 644) ou modifiez-le à la main
settings-problem-folder-read-only = le dossier { $folder } est en lecture seule, les réglages ne peuvent donc pas être enregistrés (un nouveau fichier y est écrit, puis renommé) ; rendez-le modifiable (chmod 755) ou modifiez la configuration à la main
settings-problem-cannot-write = impossible d’écrire { $file } ({ $error }), les réglages ne peuvent donc pas être enregistrés ; rendez le dossier { $folder } modifiable par le serveur web ou modifiez la configuration à la main
