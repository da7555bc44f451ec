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
footer-follow-html = Suivre ce site depuis le fédivers : { $handle }
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
login-intro-html = Ni compte ni mot de passe : saisissez votre identifiant du fédivers. Le compte du site { $handle } vous envoie un message privé avec un lien qui vous connecte. Votre profil du fédivers signe ce que vous publiez.
login-handle-label = Votre identifiant du fédivers
login-handle-hint-html = Par exemple <code>@alice@mastodon.social</code>, <code>alice@mastodon.social</code> ou l’adresse de votre profil.
login-send-link = M’envoyer un lien de connexion
login-send-code = J’enverrai plutôt un code
login-code-hint = Envoyer vous-même un code fonctionne même quand votre instance masque les messages des comptes que vous ne suivez pas.

## La ligne d’un événement pour le fédivers et les flux

summary-cancelled = Annulé : { $text }
summary-tentative = À confirmer : { $text }
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
tag-title = Articles étiquetés « { $tag } »
tag-feed = Flux Atom de cette étiquette
tag-feed-title = { $site } : { $tag }
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
gone-was-titled = Il s’intitulait « { $title } ».
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
comments-reply-help-html = Copiez cette adresse, collez-la dans la recherche de votre compte Mastodon, Pleroma, Misskey ou d’un autre serveur du fédivers, et répondez au message de { $handle } qui s’affiche. Votre réponse apparaît ici ; la supprimer sur votre serveur la retire de cette page.
comments-reply-help-held-html = Copiez cette adresse, collez-la dans la recherche de votre compte Mastodon, Pleroma, Misskey ou d’un autre serveur du fédivers, et répondez au message de { $handle } qui s’affiche. Votre réponse apparaît ici une fois approuvée par l’auteur ; la supprimer sur votre serveur la retire de cette page.
comments-address-label = Adresse de cet article
comments-closed = Les réponses à cet article sont fermées.
comments-closed-kept = Les réponses à cet article sont fermées : celles ci-dessus restent.

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
participation-hint-restricted = { $handle } vous envoie un message privé avec un lien de confirmation ; l’organisateur approuve ensuite chaque participant. Depuis Mobilizon ou un autre serveur du fédivers, vous pouvez aussi rechercher l’adresse de cette page et participer de là.
participation-submit = Participer
participation-cancel = Annuler une inscription
events-title = Événements
events-upcoming = Événements à venir
events-past = Événements passés
events-past-heading = Passés
events-in-month = Événements de { $month }
events-tagged = Événements étiquetés « { $tag } »
events-feed-title = { $site } — Événements
events-feed-link-title = { $site } : événements
events-subscribe = S’abonner à l’agenda
events-atom-feed = Flux Atom
events-tag-articles = Articles avec cette étiquette
events-none-past = Aucun événement passé pour l’instant.
events-none-upcoming = Aucun événement à venir.
events-empty-follow-html = Suivez { $handle } depuis le fédivers pour être prévenu du prochain.
events-by-month-label = Événements par mois
events-by-month = Par mois

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
settings-not-a-form = Pas un formulaire
settings-expired-heading = Rien n’a été modifié
settings-expired = Cette page avait expiré (vous vous êtes peut-être déconnecté dans un autre onglet) : rechargez-la et recommencez.
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

