# Das Deutsch der Konsole: es deckt die Bildschirme des Lagerpersonals ab (Wareneingang, Einlagerung,
# Kommissionierung, Verpackung, Manifeste, Wellen, Inventur, Retouren, Cut-off-Tafel, Klärfälle,
# SKU-Prüfung, Anmeldung, Seitenrahmen und Navigation). Jeder hier fehlende Schlüssel wird auf
# Englisch angezeigt (en.ftl). Keys missing here fall back to English.

skip-to-content = Zum Inhalt springen
nav-label = Hauptmenü
nav-dashboard = Übersicht
nav-orders = Aufträge
nav-order = Auftrag
nav-board = Cut-off-Tafel
log-out = Abmelden
back-to-console = Zurück zur Konsole

role-operator = Betreiber
role-staff = Lagerpersonal
role-supervisor = Schichtleitung
role-seller = Händler

login-title = Anmelden
login-lede = Die Lagerkonsole für Händler und Lagerpersonal.
login-username = Benutzername
login-password = Passwort
login-submit = Anmelden
login-wrong = Benutzername oder Passwort falsch.
login-slow-down = Zu viele fehlgeschlagene Anmeldungen: { $seconds } Sekunden warten und erneut versuchen.

error-invalid = Das geht so nicht
error-not-found = Nicht gefunden
error-forbidden = Keine Berechtigung für diese Seite
error-conflict = Das geht gerade nicht
error-internal = Bei uns ist etwas schiefgelaufen; bitte erneut versuchen
error-csrf = Dieses Formular ist abgelaufen: Seite neu laden und erneut versuchen

status-draft = Entwurf
status-submitted = Wartet auf das Lager
status-wait-picking = Zur Kommissionierung freigegeben
status-picking = In Kommissionierung
status-packed = Verpackt
status-shipped = Versandt
status-delivered = Zugestellt
status-cancelled = Storniert
status-exception = Klärfall

cutoff-at = Cut-off { $time }
cutoff-in = noch { $hours } h { $minutes } min bis Cut-off
cutoff-passed = Cut-off vorbei

order-status = Status
order-warehouse = Lager
order-tracking = Sendungsnummer
order-product = Artikel
order-qty = Menge
order-carrier = Paketdienst

board-nothing-due = Heute ist in diesem Lager nichts fällig.
board-show = Anzeigen
pick-rate = { $n } Einheiten pro Stunde kommissioniert
board-carrier = Paketdienst
board-due = Heute fällig
board-waiting = Wartend
board-released = Freigegeben
board-picking = In Kommissionierung
board-packed = Verpackt
board-shipped = Versandt
board-exceptions = Klärfälle
board-overdue = Überfällig
board-open-units = Offene Einheiten
board-misses = Voraussichtlich verpasst

nav-receiving = Wareneingang
scan-label = Scannen
scan-submit = Eingabe
scan-camera = Kamera
scan-quantity = Menge
scan-queued = Offline: { $n } Scans warten auf das Senden
scan-empty = Nichts gescannt.
scan-bad-quantity = Die Menge muss eine ganze Zahl von 1 bis 10000 sein.
receiving-prompt-carton = Kartonmarkierung scannen oder Anlieferungsnummer eingeben.
receiving-prompt-sku = Jedes SKU-Etikett scannen (vorher Menge eingeben, um mehrere auf einmal zu zählen).
receiving-closed = Dieser Wareneingang ist abgeschlossen: Was nicht kam, ist Fehlmenge.
receiving-inbound = Anlieferung { $inbound }
receiving-opened = Anlieferung { $inbound } geöffnet
receiving-counted = +{ $n } { $sku }
receiving-counted-damaged = +{ $n } { $sku } beschädigt
receiving-expected = Erwartet
receiving-received = Eingegangen
receiving-damaged = Beschädigt
receiving-close = Wareneingang abschließen

nav-skus = Artikel
nav-sku-audit = SKU-Prüfung
skus-count = { $n ->
    [one] { $n } Artikel
   *[other] { $n } Artikel
}
sku-actions = Aktionen
sku-status-draft = Entwurf
sku-status-submitted = Wartet auf Prüfung
sku-status-approved = Freigegeben
sku-status-rejected = Abgelehnt
sku-weight = Gewicht (g)
sku-length = Länge (mm)
sku-width = Breite (mm)
sku-height = Höhe (mm)
sku-submitted-at = eingereicht { $time }
sku-approve = Freigeben
sku-reject = Ablehnen
sku-reject-reason = Grund (bei Ablehnung)
sku-audit-empty = Keine SKU wartet auf Prüfung.

nav-waves = Wellen
nav-picking = Kommissionierung
nav-packing = Verpackung
nav-manifests = Manifeste
wave-released = Welle { $n } freigegeben.
wave-shorts = { $n } fällige Aufträge ausgelassen: auf ihren Lagerplätzen fehlt Bestand
wave-release = Welle freigeben
wave-due-by = Fällig bis
wave-service = Versandart
wave-all-services = Alle Versandarten
wave-release-button = Freigeben
wave-open-lists = Offene Picklisten
wave-list = Pickliste
wave-list-name = Welle { $wave } · Liste { $list }
wave-zone = Bereich
wave-totes = Behälter
wave-picker = Kommissionierer
wave-progress = Kommissioniert
wave-no-open-lists = Keine Pickliste ist offen.
wave-recent = Wellen
wave-number = Welle
wave-units = Einheiten
wave-lists = Listen
wave-released-at = Freigegeben
pick-prompt-list = Barcode einer Pickliste scannen oder unten eine auswählen.
pick-list-done = Diese Pickliste ist fertig: Wagen zur Verpackung bringen.
pick-prompt-bin = Zu Lagerplatz { $bin } gehen und ihn scannen.
pick-prompt-sku = { $qty } × { $sku } entnehmen und das Etikett scannen.
pick-prompt-tote = In Behälter { $tote } legen und den Behälter scannen.
pick-list-title = Liste { $list } · { $totes } Behälter
pick-left = noch { $n } Picks
pick-totes = Behälter auf dem Wagen
pick-bin = Lagerplatz
pick-tote = Behälter
pick-short-button = Fehlmenge am Lagerplatz (gefundene Menge eingeben)
pick-short-exception = Fehlmenge: Kein anderer Lagerplatz hat die Einheiten, der Auftrag ist gestoppt und der Lagerplatz wird gezählt.
pick-short-moved = Fehlmenge: Der Rest wird von einem anderen Lagerplatz kommissioniert (nächster auf der Liste).
pick-short-recorded = Fehlmenge erfasst.
scan-wrong-bin = Falscher Lagerplatz: erwartet { $expected }, gescannt { $got }.
pick-wrong-sku = Falsche SKU: erwartet { $expected }, gescannt { $got }.
pick-wrong-tote = Falscher Behälter: erwartet Behälter { $expected }, gescannt { $got }.
pick-done = { $qty } in Behälter { $tote }
pack-prompt-order = Barcode des Auftrags scannen.
pack-prompt-units = SKU-Etikett jeder Einheit ins Paket scannen.
pack-prompt-next = Nächsten Auftrag scannen.
pack-opened = Auftrag { $order } am Packtisch
pack-scanned = { $sku } { $n }
pack-in-parcel = Im Paket
pack-weigh = Alle Einheiten sind drin: Paket wiegen und vermessen (die Einheiten wiegen { $expected } g).
pack-close = Paket schließen
pack-release-hold = Wie gewogen freigeben (Schichtleitung)
pack-held = Angehalten für die Schichtleitung
pack-packed = Verpackt
pack-print-label = Etikett drucken
manifest-prompt = Jedes verpackte Paket für seinen Paketdienst scannen.
manifest-scanned = { $parcel } auf dem Manifest von { $carrier }
manifest-parcels = { $n ->
    [one] { $n } Paket
   *[other] { $n } Pakete
}
manifest-list = Manifeste
manifest-day = Tag
manifest-parcel-count = Pakete
manifest-close = Bei Abholung abschließen
manifest-none = Noch kein Manifest.

nav-stock = Bestand
nav-inbounds = Anlieferung
nav-balance = Guthaben
bucket-outside = Außerhalb
bucket-in-transit = Unterwegs
bucket-received = Eingegangen
bucket-available = Verfügbar
bucket-reserved-allocated = Für Aufträge reserviert
bucket-reserved-hold = Zurückgehalten
bucket-suspend = Gesperrt
bucket-unfulfillable = Nicht lieferbar
reason-ios = Anlieferung avisiert
reason-grn = eingegangen
reason-pac = eingelagert
reason-oos = Auftrag erteilt
reason-ooc = Auftrag storniert
reason-oof = versandt
reason-oeh = gesperrt
reason-oeu = entsperrt
reason-iaa = korrigiert (Inventur)
reason-ioc = Anlieferung mit Fehlmenge abgeschlossen
reason-rtn = retourniert
reason-dsp = entsorgt
reason-rtf = Retoure weitergeleitet
inbound-status-draft = Entwurf
inbound-status-awaiting-appointment = Wartet auf Termin
inbound-status-awaiting-tracking = Wartet auf Sendungsnummer
inbound-status-in-transit = Unterwegs
inbound-status-arrived = Angekommen
inbound-status-receiving = Im Wareneingang
inbound-status-partially-put-away = Teilweise eingelagert
inbound-status-put-away = Eingelagert
inbound-status-cancelled = Storniert
appointment-title = Anliefertermin
appointment-manage = Termin buchen oder ändern
appointment-express = Express-Anlieferungen erhalten Sendungsnummern, keinen Anliefertermin.
appointment-current = Gebuchter Termin
appointment-none = Kein Termin gebucht.
appointment-cancel = Termin stornieren
appointment-slots = Rampen-Zeitfenster
appointment-earlier = Früher
appointment-later = Später
appointment-day = Tag
appointment-time = Uhrzeit
appointment-capacity = Kapazität
appointment-free = Frei
appointment-yours = Eigener Termin
appointment-book = Buchen
appointment-move = Hierher verlegen
appointment-full = Ausgebucht
appointment-no-slots = An diesen Tagen keine freien Zeitfenster.
appointment-status-booked = Gebucht
appointment-status-arrived = Angekommen
appointment-status-no-show = Nicht erschienen
appointment-status-cancelled = Storniert
discrepancy-over = Mehr als avisiert
discrepancy-short = Fehlmenge
discrepancy-damaged = Beschädigt
discrepancy-unexpected = Unerwartete SKU

nav-integrations = Integrationen

nav-queue = Klärfälle
queue-intercept = Der Kunde bittet um Stopp
queue-accept = Stoppen (stornieren, Einheiten zurück in den Bestand)
queue-refuse = Trotzdem versenden
queue-requeue = Wieder zur Bearbeitung ins Lager geben
queue-empty = Kein Auftrag wartet auf eine Entscheidung.

nav-import = Datenimport

## Einlagerung
nav-putaway = Einlagerung
putaway-prompt-sku = SKU-Etikett an der Rampe scannen oder unten eine Aufgabe wählen.
putaway-prompt-bin = Lagerplatz { $bin } scannen (vorher Menge eingeben, um einen Teil einzulagern).
putaway-prompt-any-bin = Kein Lagerplatz passt: gewählten Lagerplatz scannen und dann bestätigen.
putaway-suggested = Vorgeschlagener Lagerplatz
putaway-no-suggestion = Keiner passt
putaway-waiting = Wartend
putaway-tasks = Wartet auf Einlagerung
putaway-none = An der Rampe wartet nichts.
putaway-start = Einlagern
putaway-opened = { $qty } × { $sku } einzulagern
putaway-done = { $qty } × { $sku } eingelagert
putaway-no-task = An der Rampe wartet nichts für { $code }.
putaway-confirm-other = Stattdessen in { $bin } einlagern

## Inventur (Zählungen)
nav-counts = Inventur
count-prompt-task = Lagerplatz einer offenen Zählung scannen oder unten eine auswählen.
count-open = Offene Zählungen
count-none = In diesem Lager ist keine Zählung offen.
count-title = Zählung von { $bin }
count-prompt-bin = Lagerplatz { $bin } scannen.
count-prompt-sku = Jedes SKU-Etikett im Lagerplatz scannen (vorher Menge eingeben, um mehrere auf einmal zu zählen), dann die Zählung absenden.
count-nothing-yet = Noch nichts gezählt: Jetzt absenden meldet den Lagerplatz als leer.
count-counted-col = Gezählt
count-variance = Abweichung
count-submit = Zählung absenden
count-opened = Zählung von { $bin } geöffnet
count-counted = +{ $n } { $sku }
count-no-task = Keine offene Zählung für { $code }.
count-not-open = Die Zählung von { $bin } ist nicht mehr offen.
count-applied = Zählung von { $bin } erfasst; die Abweichung ist gebucht.
count-held = Zählung von { $bin } erfasst; die Abweichung wartet auf Freigabe durch die Schichtleitung.
count-held-title = Abweichungen zur Freigabe
count-held-none = Keine Zählung wartet auf Freigabe.
count-approve = Freigeben
count-reject = Ablehnen
count-reject-reason = Grund

## Retouren
nav-returns = Retouren
returns-prompt-parcel = Retourenpaket scannen: Sendungsnummer, RMA oder Sendungs-ID.
returns-prompt-sku = Jedes SKU-Etikett im Paket scannen (für beschädigte Einheiten vorher „Beschädigt“ einschalten), dann annehmen; oder alle gelisteten Einheiten auf einmal annehmen.
returns-prompt-action = Angenommen: festlegen, was damit geschieht.
returns-prompt-match = Sendungsnummer oder RMA der Retoure scannen, zu der dieses Paket gehört.
returns-title = Retoure { $id }
returns-requested = Gewünscht
returns-outcome = Erledigt
returns-good = Einwandfrei
returns-counted = Bisher gezählt
returns-receive = Gezähltes annehmen
returns-receive-all = Alle gelisteten Einheiten annehmen
returns-opened = Retoure { $id } geöffnet
returns-received = Retoure { $id } angenommen
returns-done = Retoure { $id }: { $action }
returns-matched = Paket der Retoure { $id } zugeordnet: jetzt annehmen.
returns-unidentified = Keine Retoure passt zu { $code }: als unbekannte Retoure aufbewahrt.
returns-too-many = Die Retoure listet nur { $n } × { $sku }.
returns-not-on-return = { $code } steht nicht auf dieser Retoure; erwartet { $expected }.
returns-unidentified-title = Unbekannte Retouren
returns-unidentified-none = In diesem Lager wartet keine unbekannte Retoure.
returns-match = Zuordnen
return-status-expected = Erwartet
return-status-received = Angenommen
return-status-inspecting = In Prüfung
return-status-completed = Abgeschlossen
return-action-restock = Wieder einlagern
return-action-hold = Für den Händler zurückhalten
return-action-dispose = Entsorgen
return-action-inspect = Prüfen
return-action-forward = Weiterleiten
count-state-open = Offen
count-state-counted = Wartet auf Freigabe
count-state-adjusted = Gebucht
count-state-approved = Freigegeben
count-state-rejected = Abgelehnt

# Die Verwaltung des Betreibers.
nav-admin-clients = Kunden
nav-admin-people = Benutzer
nav-admin-warehouses = Lager
nav-admin-services = Versandarten
weekday-1 = montags
weekday-2 = dienstags
weekday-3 = mittwochs
weekday-4 = donnerstags
weekday-5 = freitags
weekday-6 = samstags
weekday-7 = sonntags
location-kind-pick-face = Kommissionierplatz
location-kind-reserve = Reservelager
location-kind-dock = Rampe
location-kind-returns = Retouren
location-kind-quarantine = Quarantäne
location-kind-damaged = Beschädigt
location-kind-staging = Bereitstellung

nav-appointments = Termine
calendar-booked = { $n ->
    [one] { $n } Anlieferung diese Woche gebucht
   *[other] { $n } Anlieferungen diese Woche gebucht
}
calendar-weeks = Wochen
calendar-from = Woche ab
calendar-earlier = Vorherige Woche
calendar-later = Nächste Woche
calendar-slot-use = { $n } von { $capacity } gebucht
calendar-nothing-booked = Nichts gebucht.
calendar-open-slots = { $n ->
    [one] { $n } freies Zeitfenster
   *[other] { $n } freie Zeitfenster
}
nav-unidentified = Unbekannte Sendungen
unidentified-waiting = wartend
unidentified-count = { $n ->
    [one] { $n } Position wartet, älteste zuerst
   *[other] { $n } Positionen warten, älteste zuerst
}
unidentified-cartons = { $n ->
    [one] { $n } Karton
   *[other] { $n } Kartons
}
unidentified-freight = Fracht an der Rampe
unidentified-return = Retourenpaket
unidentified-arrived = Eingetroffen { $time }
unidentified-age = { $days ->
    [one] { $days } Tag alt
   *[other] { $days } Tage alt
}
unidentified-client = Kunde
unidentified-inbound = Anlieferung (Nummer oder Referenz)
unidentified-match = Zuordnen
unidentified-reason = Grund (an Paketdienst zurück, entsorgt…)
unidentified-close = Abschließen
unidentified-return-scan = Retoure (Sendungs-ID oder Sendungsnummer)
unidentified-dispose = Entsorgen
unidentified-dispose-from = { $days } Tage für den Eigentümer aufbewahrt: darf ab { $time } entsorgt werden.
unidentified-empty = In diesem Lager wartet nichts Unbekanntes.

# Zahlungsbewegungen (Zustände, die jede Sprache benennt)
money-top-up = Aufladung
money-hold = Für einen Auftrag zurückgehalten
money-release = Freigegeben
money-charge = Belastet
money-refund = Erstattet
money-bucket-outside = außerhalb
money-bucket-available = verfügbar
money-bucket-held = zurückgehalten
money-bucket-charged = belastet

# Rampenkalender
calendar-expected = { $cartons ->
    [one] { $cartons } Karton
   *[other] { $cartons } Kartons
}, { $units } Einheiten erwartet
calendar-weekday-1 = Montag
calendar-weekday-2 = Dienstag
calendar-weekday-3 = Mittwoch
calendar-weekday-4 = Donnerstag
calendar-weekday-5 = Freitag
calendar-weekday-6 = Samstag
calendar-weekday-7 = Sonntag
