<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_GB" sourcelanguage="nl_NL">
<context>
    <name>Cli</name>
    <message>
        <source>Taak {id} is al opgepakt door {name}; uw wijziging staat bij de niet-verwerkte wijzigingen.</source>
        <translation>Task {id} had already been picked up by {name}; your change is listed with the unprocessed changes.</translation>
    </message>
    <message>
        <source>Wijziging aan {id} is niet verwerkt: {reason} Uw tekst staat bij de niet-verwerkte wijzigingen.</source>
        <translation>The change to {id} was not processed: {reason} Your text is listed with the unprocessed changes.</translation>
    </message>
    <message>
        <source>{name} had deze taak al opgepakt.</source>
        <translation>{name} had already picked up this task.</translation>
    </message>
    <message>
        <source>Vastgelopen wijzigingen: {count}; ze worden pas verstuurd als u ze opnieuw probeert ('menscentraal changes').</source>
        <translation>Stuck changes: {count}; they are only sent once you try them again ('menscentraal changes').</translation>
    </message>
    <message>
        <source>Wijziging aan {id} is als geheel geweigerd: {reason} Ze staat bij de niet-verwerkte wijzigingen: verwijder haar of probeer opnieuw met 'menscentraal changes'.</source>
        <translation>The change to {id} was refused as a whole: {reason} It is listed with the unprocessed changes: remove it or try again with 'menscentraal changes'.</translation>
    </message>
    <message>
        <source>Wijzigingen zonder antwoord van de dienst: {count}; ze blijven bewaard en worden bij de volgende synchronisatie opnieuw verstuurd.</source>
        <translation>Changes without an answer from the service: {count}; they are kept and will be sent again at the next synchronisation.</translation>
    </message>
    <message>
        <source>verwijder deze wijziging (er wordt niets verstuurd)</source>
        <translation>remove this change (nothing is sent)</translation>
    </message>
    <message>
        <source>verstuur deze vastgelopen wijziging opnieuw</source>
        <translation>send this stuck change again</translation>
    </message>
    <message>
        <source>De wijziging is verwijderd; er wordt niets verstuurd.</source>
        <translation>The change was removed; nothing is sent.</translation>
    </message>
    <message>
        <source>De wijziging staat weer in de wachtrij en wordt bij de volgende synchronisatie verstuurd.</source>
        <translation>The change is back in the queue and will be sent at the next synchronisation.</translation>
    </message>
    <message>
        <source>Alle verstuurde wijzigingen zijn verwerkt.</source>
        <translation>All changes sent have been processed.</translation>
    </message>
    <message>
        <source>Iemand anders heeft dit intussen gewijzigd.</source>
        <translation>Someone else changed this in the meantime.</translation>
    </message>
    <message>
        <source>De zaak of taak is niet meer zichtbaar voor u.</source>
        <translation>The case or task is no longer visible to you.</translation>
    </message>
    <message>
        <source>De dienst heeft deze wijziging niet verwerkt.</source>
        <translation>The service did not process this change.</translation>
    </message>
    <message>
        <source>niet-verwerkte en vastgelopen wijzigingen, met uw tekst</source>
        <translation>unprocessed and stuck changes, with your text</translation>
    </message>
    <message>
        <source>Zonder opdracht, of met 'gui', opent menscentraal de vensters.</source>
        <translation>Without a command, or with 'gui', menscentraal opens its windows.</translation>
    </message>
    <message>
        <source>Wachtwoord: </source>
        <translation>Password: </translation>
    </message>
    <message>
        <source>wis ook als er nog niet-verzonden wijzigingen zijn (die gaan verloren)</source>
        <translation>wipe even when there are unsent changes (they are lost)</translation>
    </message>
    <message>
        <source>Nieuw wachtwoord: </source>
        <translation>New password: </translation>
    </message>
    <message>
        <source>Herhaal nieuw wachtwoord: </source>
        <translation>Repeat new password: </translation>
    </message>
    <message>
        <source>Offline gewerkt: {reason}</source>
        <translation>Working offline: {reason}</translation>
    </message>
    <message>
        <source>lees het wachtwoord van de eerste regel van standaardinvoer</source>
        <translation>read the password from the first line of standard input</translation>
    </message>
    <message>
        <source>alleen JSON op standaarduitvoer</source>
        <translation>only JSON on standard output</translation>
    </message>
    <message>
        <source>adres van de dienst (https://…)</source>
        <translation>address of the service (https://…)</translation>
    </message>
    <message>
        <source>CA-certificaat van uw organisatie (PEM)</source>
        <translation>your organisation's CA certificate (PEM)</translation>
    </message>
    <message>
        <source>uw gebruikersnaam</source>
        <translation>your username</translation>
    </message>
    <message>
        <source>eenmalige aanmeldcode van uw lokaal beheerder</source>
        <translation>one-time enrollment code from your local administrator</translation>
    </message>
    <message>
        <source>Dit apparaat is aangemeld en de versleutelde offline opslag is klaar; log voortaan in met 'menscentraal login'.</source>
        <translation>This device is enrolled and its encrypted offline storage is ready; from now on log in with 'menscentraal login'.</translation>
    </message>
    <message>
        <source>Aangemeld; de offline gegevens zijn ontgrendeld.</source>
        <translation>Logged in; the offline data is unlocked.</translation>
    </message>
    <message>
        <source>Offline ontgrendeld; wijzigingen worden verstuurd zodra er verbinding is.</source>
        <translation>Unlocked offline; changes will be sent as soon as there is a connection.</translation>
    </message>
    <message>
        <source>Let op: er is geen goedgekeurde sleutelhanger op dit apparaat, dus alleen uw wachtwoord beschermt de offline gegevens.</source>
        <translation>Note: this device has no approved keychain, so only your password protects the offline data.</translation>
    </message>
    <message>
        <source>Alles in orde: dit apparaat kan veilig met de dienst werken.</source>
        <translation>All good: this device can work securely with the service.</translation>
    </message>
    <message>
        <source>Oorzaak: {message}</source>
        <translation>Cause: {message}</translation>
    </message>
    <message>
        <source>Alle gegevens en sleutels van dit profiel zijn van dit apparaat gewist.</source>
        <translation>All data and keys of this profile have been wiped from this device.</translation>
    </message>
    <message>
        <source>meld dit apparaat aan (Mobiel Werken)</source>
        <translation>enroll this device (Mobiel Werken)</translation>
    </message>
    <message>
        <source>log in en ontgrendel de offline gegevens</source>
        <translation>log in and unlock the offline data</translation>
    </message>
    <message>
        <source>controleer de verbinding en zeg wat er mis is</source>
        <translation>check the connection and say what is wrong</translation>
    </message>
    <message>
        <source>wis alle gegevens en sleutels van dit profiel</source>
        <translation>wipe all data and keys of this profile</translation>
    </message>
    <message>
        <source>MensCentraal Mobiel</source>
        <translation>MensCentraal Mobiel</translation>
    </message>
    <message>
        <source>map van het profiel</source>
        <translation>profile directory</translation>
    </message>
    <message>
        <source>taal: nl of en</source>
        <translation>language: nl or en</translation>
    </message>
    <message>
        <source>Er ging iets mis in het programma ({kind}); meld dit bij de helpdesk.</source>
        <translation>Something went wrong in the program ({kind}); please report this to the helpdesk.</translation>
    </message>
    <message>
        <source>controleer na installatie of alle onderdelen werken (voor IT)</source>
        <translation>after installing, check that every part works (for IT)</translation>
    </message>
    <message>
        <source>BESTAND</source>
        <translation>FILE</translation>
    </message>
    <message>
        <source>NAAM</source>
        <translation>NAME</translation>
    </message>
    <message>
        <source>MAP</source>
        <translation>DIR</translation>
    </message>
    <message>
        <source>TAAK_ID</source>
        <translation>TASK_ID</translation>
    </message>
    <message>
        <source>OPDRACHT</source>
        <translation>COMMAND</translation>
    </message>
    <message>
        <source>opdrachten</source>
        <translation>commands</translation>
    </message>
    <message>
        <source>toon het versienummer en stop</source>
        <translation>show program's version number and exit</translation>
    </message>
    <message>
        <source>verstuur wijzigingen en haal nieuwe gegevens op</source>
        <translation>send changes and fetch new data</translation>
    </message>
    <message>
        <source>Mijn zaken, uit de offline gegevens</source>
        <translation>My cases, from the offline data</translation>
    </message>
    <message>
        <source>taken in de werkbakken van uw teams</source>
        <translation>tasks in your teams' work queues</translation>
    </message>
    <message>
        <source>taken die aan u zijn toegewezen</source>
        <translation>tasks assigned to you</translation>
    </message>
    <message>
        <source>pak een taak op (offline: bij de volgende synchronisatie)</source>
        <translation>pick up a task (offline: at the next synchronisation)</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>Zaak</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>Cliënt / groep</source>
        <translation>Client / group</translation>
    </message>
    <message>
        <source>Zaaktype</source>
        <translation>Case type</translation>
    </message>
    <message>
        <source>Rol</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Huidige stap</source>
        <translation>Current step</translation>
    </message>
    <message>
        <source>Bijgewerkt</source>
        <translation>Updated</translation>
    </message>
    <message>
        <source>Taak</source>
        <translation>Task</translation>
    </message>
    <message>
        <source>Werkbak</source>
        <translation>Work queue</translation>
    </message>
    <message>
        <source>Wacht sinds</source>
        <translation>Waiting since</translation>
    </message>
    <message>
        <source>Uiterlijk</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>Via</source>
        <translation>Via</translation>
    </message>
</context>
<context>
    <name>Doctor</name>
    <message>
        <source>Apparaat aangemeld</source>
        <translation>Device enrolled</translation>
    </message>
    <message>
        <source>Adres van de dienst gevonden</source>
        <translation>Service address found</translation>
    </message>
    <message>
        <source>Dienst bereikbaar</source>
        <translation>Service reachable</translation>
    </message>
    <message>
        <source>Beveiligde verbinding met de echte dienst</source>
        <translation>Secure connection to the genuine service</translation>
    </message>
    <message>
        <source>Dienst werkt</source>
        <translation>Service working</translation>
    </message>
    <message>
        <source>Klok van dit apparaat</source>
        <translation>This device's clock</translation>
    </message>
    <message>
        <source>Dienst accepteert dit apparaat</source>
        <translation>Service accepts this device</translation>
    </message>
    <message>
        <source>Certificaat van dit apparaat</source>
        <translation>This device's certificate</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>In orde.</source>
        <translation>OK.</translation>
    </message>
    <message>
        <source>Niet gecontroleerd: een eerdere controle mislukte.</source>
        <translation>Not checked: an earlier check failed.</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>De dienst is weer bereikbaar en vraagt uw wachtwoord: kies Nu synchroniseren (F5) en voer het in.</source>
        <translation>The service is reachable again and asks for your password: choose Synchronise now (F5) and enter it.</translation>
    </message>
    <message>
        <source>U was te lang offline om vanzelf weer verbinding te maken: kies Nu synchroniseren (F5) en voer uw wachtwoord in.</source>
        <translation>You were offline too long to reconnect automatically: choose Synchronise now (F5) and enter your password.</translation>
    </message>
    <message>
        <source>Uw wachtwoord is intussen gewijzigd: kies Nu synchroniseren (F5) en voer uw nieuwe wachtwoord in.</source>
        <translation>Your password has been changed in the meantime: choose Synchronise now (F5) and enter your new password.</translation>
    </message>
    <message>
        <source>Deze taak staat niet meer in uw werkbak: een collega heeft haar al opgepakt of doorgestuurd.</source>
        <translation>This task is no longer in your work queue: a colleague has already picked it up or forwarded it.</translation>
    </message>
    <message>
        <source>alleen de zaakcoördinator of een zaakondersteuner kan dit doen.</source>
        <translation>only the case coordinator or a case supporter can do this.</translation>
    </message>
    <message>
        <source>de zaak is afgesloten.</source>
        <translation>the case is closed.</translation>
    </message>
    <message>
        <source>u bent niet geautoriseerd voor dit zaaktype.</source>
        <translation>you are not authorised for this case type.</translation>
    </message>
    <message>
        <source>een collega heeft deze taak al opgepakt.</source>
        <translation>a colleague has already picked up this task.</translation>
    </message>
    <message>
        <source>alleen wie de taak heeft opgepakt kan dit doen.</source>
        <translation>only whoever picked up the task can do this.</translation>
    </message>
    <message>
        <source>de taak staat niet meer in de werkbak.</source>
        <translation>the task is no longer in the work queue.</translation>
    </message>
    <message>
        <source>de taak is al afgerond.</source>
        <translation>the task has already been completed.</translation>
    </message>
    <message>
        <source>de dienst staat haar nu niet toe.</source>
        <translation>the service does not allow it now.</translation>
    </message>
    <message>
        <source>{name} had deze taak al opgepakt.</source>
        <translation>{name} had already picked up this task.</translation>
    </message>
    <message>
        <source>De dienst is even te druk; de synchronisatie wordt straks vanzelf opnieuw geprobeerd.</source>
        <translation>The service is busy for a moment; synchronisation will be tried again automatically shortly.</translation>
    </message>
    <message>
        <source>De dienst nam uw wijzigingen nu niet aan; ze blijven op dit apparaat bewaard en worden straks vanzelf opnieuw verstuurd.</source>
        <translation>The service did not accept your changes just now; they are kept on this device and will be sent again shortly by themselves.</translation>
    </message>
    <message>
        <source>Deze wijziging is te groot voor de dienst; kopieer de tekst, verwijder de wijziging en voer de tekst in kleinere delen opnieuw in.</source>
        <translation>This change is too large for the service; copy the text, remove the change and enter the text again in smaller parts.</translation>
    </message>
    <message>
        <source>De dienst weigerde deze wijziging als geheel; probeer het opnieuw of kopieer de tekst, verwijder de wijziging en voer haar opnieuw in.</source>
        <translation>The service refused this change as a whole; try again, or copy the text, remove the change and enter it again.</translation>
    </message>
    <message>
        <source>Er is geen niet-verwerkte wijziging met dit id; bekijk de lijst met 'menscentraal changes'.</source>
        <translation>There is no unprocessed change with this id; see the list with 'menscentraal changes'.</translation>
    </message>
    <message>
        <source>Het certificaat of de sleutel van dit apparaat ontbreekt op deze computer (bijvoorbeeld na een nieuw gebruikersprofiel); meld dit apparaat opnieuw aan met een code van uw lokaal beheerder.</source>
        <translation>This device's certificate or key is missing from this computer (for example after a new user profile); enroll this device again with a code from your local administrator.</translation>
    </message>
    <message>
        <source>Zoek op een zaaknummer of op een burgerservicenummer van 9 cijfers.</source>
        <translation>Search by a case number or by a citizen service number of 9 digits.</translation>
    </message>
    <message>
        <source>Er loopt al een synchronisatie voor dit profiel; wacht tot die klaar is en probeer het opnieuw.</source>
        <translation>A synchronisation is already running for this profile; wait until it has finished and try again.</translation>
    </message>
    <message>
        <source>Deze wijziging kan niet worden opgeslagen; controleer de invoer en probeer het opnieuw.</source>
        <translation>This change cannot be saved; check what you entered and try again.</translation>
    </message>
    <message>
        <source>Deze wijziging is nu niet mogelijk: {why}</source>
        <translation>This change is not possible now: {why}</translation>
    </message>
    <message>
        <source>Deze zaak of taak staat niet in uw offline gegevens; synchroniseer eerst en probeer het opnieuw.</source>
        <translation>This case or task is not in your offline data; synchronise first and try again.</translation>
    </message>
    <message>
        <source>Deze groep bevat nog zaken of cliënten; zet die eerst over naar een andere groep.</source>
        <translation>This group still holds cases or clients; transfer them to another group first.</translation>
    </message>
    <message>
        <source>Geef een schriftelijke reden van minstens {chars} tekens; die wordt vastgelegd in de audittrail.</source>
        <translation>Give a written reason of at least {chars} characters; it is recorded in the audit trail.</translation>
    </message>
    <message>
        <source>Dit bestaat niet (meer) of valt buiten uw organisatie; vernieuw de lijst en probeer het opnieuw.</source>
        <translation>This does not exist (any more) or is outside your organisation; refresh the list and try again.</translation>
    </message>
    <message>
        <source>Er ging iets mis; probeer het opnieuw of vraag de superuser van uw team.</source>
        <translation>Something went wrong; try again or ask your team's superuser.</translation>
    </message>
    <message>
        <source>De dienst is niet bereikbaar; controleer uw internetverbinding en probeer het opnieuw.</source>
        <translation>The service cannot be reached; check your internet connection and try again.</translation>
    </message>
    <message>
        <source>Dit apparaat heeft geen netwerkverbinding; maak verbinding met internet en probeer het opnieuw.</source>
        <translation>This device has no network connection; connect to the internet and try again.</translation>
    </message>
    <message>
        <source>Het adres van de dienst is niet te vinden; controleer uw internetverbinding of het adres van de dienst.</source>
        <translation>The service's address cannot be found; check your internet connection or the service address.</translation>
    </message>
    <message>
        <source>De dienst weigert de verbinding of is buiten gebruik; probeer het later opnieuw of bel de helpdesk als het blijft.</source>
        <translation>The service refuses the connection or is down; try again later or call the helpdesk if it persists.</translation>
    </message>
    <message>
        <source>De dienst antwoordt niet op tijd; controleer uw verbinding en probeer het opnieuw.</source>
        <translation>The service does not answer in time; check your connection and try again.</translation>
    </message>
    <message>
        <source>De dienst verbrak de verbinding; probeer het opnieuw of voer 'menscentraal doctor' uit.</source>
        <translation>The service closed the connection; try again or run 'menscentraal doctor'.</translation>
    </message>
    <message>
        <source>Een certificaat is volgens de klok van dit apparaat nog niet geldig; controleer de datum en tijd van dit apparaat en probeer het opnieuw.</source>
        <translation>A certificate is not yet valid by this computer's clock; check this computer's date and time and try again.</translation>
    </message>
    <message>
        <source>Het certificaat van de dienst is volgens de klok van dit apparaat verlopen; controleer de datum en tijd van dit apparaat, en bel de helpdesk als die kloppen.</source>
        <translation>The service's certificate has expired by this computer's clock; check this computer's date and time, and call the helpdesk if they are right.</translation>
    </message>
    <message>
        <source>Er is hier geen beveiligde verbinding: u zit niet op Gemnet of een aangemelde werkplek en dit apparaat is niet aangemeld voor Mobiel Werken; meld dit apparaat aan met een code van uw lokaal beheerder.</source>
        <translation>There is no secure connection here: you are not on Gemnet or an allow-listed workplace, and this device is not enrolled for Mobiel Werken; enroll this device with a code from your local administrator.</translation>
    </message>
    <message>
        <source>U zit op Gemnet of een aangemelde werkplek, maar dit apparaat is niet aangemeld voor Mobiel Werken; meld het aan met een code van uw lokaal beheerder.</source>
        <translation>You are on Gemnet or an allow-listed workplace, but this device is not enrolled for Mobiel Werken; enroll it with a code from your local administrator.</translation>
    </message>
    <message>
        <source>De dienst toont een certificaat dat niet van uw organisatie is; maak geen verbinding en meld dit aan uw lokaal beheerder.</source>
        <translation>The service shows a certificate that is not from your organisation; do not connect and report this to your local administrator.</translation>
    </message>
    <message>
        <source>Het certificaat van dit apparaat is verlopen; vraag uw lokaal beheerder om een nieuwe aanmeldcode en meld dit apparaat opnieuw aan.</source>
        <translation>This device's certificate has expired; ask your local administrator for a new enrollment code and enroll this device again.</translation>
    </message>
    <message>
        <source>Het certificaat van dit apparaat is nog niet geldig; controleer de datum en tijd van dit apparaat.</source>
        <translation>This device's certificate is not valid yet; check this device's date and time.</translation>
    </message>
    <message>
        <source>De dienst accepteert het certificaat van dit apparaat niet; meld dit apparaat opnieuw aan met een code van uw lokaal beheerder.</source>
        <translation>The service does not accept this device's certificate; enroll this device again with a code from your local administrator.</translation>
    </message>
    <message>
        <source>Dit apparaat is ingetrokken en de gegevens erop zijn gewist; vraag uw lokaal beheerder om een nieuwe aanmeldcode als u het weer wilt gebruiken.</source>
        <translation>This device was revoked and its data has been wiped; ask your local administrator for a new enrollment code if you want to use it again.</translation>
    </message>
    <message>
        <source>Dit apparaat is nog niet aangemeld; meld het aan met 'menscentraal enroll' en de code van uw lokaal beheerder.</source>
        <translation>This device is not enrolled yet; enroll it with 'menscentraal enroll' and the code from your local administrator.</translation>
    </message>
    <message>
        <source>Dit profiel is al aangemeld; log in, of wis het eerst met 'menscentraal wipe' om opnieuw aan te melden.</source>
        <translation>This profile is already enrolled; log in, or wipe it first with 'menscentraal wipe' to enroll again.</translation>
    </message>
    <message>
        <source>Aanmelden van dit apparaat is mislukt; controleer gebruikersnaam, wachtwoord en code, of vraag uw lokaal beheerder om een nieuwe code.</source>
        <translation>Enrolling this device failed; check username, password and code, or ask your local administrator for a new code.</translation>
    </message>
    <message>
        <source>Er zijn te veel pogingen achter elkaar gedaan; wacht tot {time} en probeer het dan opnieuw.</source>
        <translation>Too many attempts in a row; wait until {time} and then try again.</translation>
    </message>
    <message>
        <source>Gebruikersnaam of wachtwoord klopt niet; probeer het opnieuw of kies 'Wachtwoord vergeten'.</source>
        <translation>Username or password is wrong; try again or choose 'Forgot password'.</translation>
    </message>
    <message>
        <source>Uw account is geblokkeerd na meer dan 10 mislukte aanmeldingen; laat het heractiveren door uw lokaal beheerder {local_admin} of de helpdesk {helpdesk}.</source>
        <translation>Your account is locked after more than 10 failed logins; have it reactivated by your local administrator {local_admin} or the helpdesk {helpdesk}.</translation>
    </message>
    <message>
        <source>U bent aangemeld met een tijdelijk wachtwoord; kies nu uw definitieve wachtwoord.</source>
        <translation>You logged in with a temporary password; choose your definitive password now.</translation>
    </message>
    <message>
        <source>Het nieuwe wachtwoord voldoet niet aan de regels ({reasons}); kies een ander.</source>
        <translation>The new password does not meet the rules ({reasons}); choose another.</translation>
    </message>
    <message>
        <source>te kort</source>
        <translation>too short</translation>
    </message>
    <message>
        <source>te lang</source>
        <translation>too long</translation>
    </message>
    <message>
        <source>te veelgebruikt of met uw gebruikersnaam erin</source>
        <translation>too common or containing your username</translation>
    </message>
    <message>
        <source>gelijk aan uw huidige wachtwoord</source>
        <translation>the same as your current password</translation>
    </message>
    <message>
        <source>gelijk aan het tijdelijke wachtwoord</source>
        <translation>the same as the temporary password</translation>
    </message>
    <message>
        <source>Uw sessie is verlopen; log opnieuw in.</source>
        <translation>Your session has expired; log in again.</translation>
    </message>
    <message>
        <source>U mag dit niet doen; vraag uw lokaal beheerder als u denkt dat dit wel zou moeten.</source>
        <translation>You are not allowed to do this; ask your local administrator if you think you should be.</translation>
    </message>
    <message>
        <source>Dit kan alleen met verbinding met de dienst; probeer het opnieuw zodra u verbinding hebt.</source>
        <translation>This needs a connection to the service; try again as soon as you are connected.</translation>
    </message>
    <message>
        <source>Het wachtwoord klopt niet; na nog {remaining} mislukte pogingen kan dit apparaat alleen nog met verbinding worden ontgrendeld.</source>
        <translation>The password is wrong; after {remaining} more failed attempts this device can only be unlocked with a connection.</translation>
    </message>
    <message>
        <source>Na te veel mislukte pogingen kan dit apparaat alleen met verbinding worden ontgrendeld; log in zodra u een beveiligde verbinding hebt.</source>
        <translation>After too many failed attempts this device can only be unlocked with a connection; log in as soon as you have a secure connection.</translation>
    </message>
    <message>
        <source>De sleutelhanger van deze computer bevat de sleutel van MensCentraal niet meer (bijvoorbeeld na het herstellen van de sleutelhanger); log in zodra u verbinding hebt, dan worden de offline gegevens en uw niet-verzonden wijzigingen hersteld.</source>
        <translation>This computer's keychain no longer holds the MensCentraal key (for example after the keychain was reset); log in as soon as you have a connection, and the offline data and your unsent changes will be restored.</translation>
    </message>
    <message>
        <source>De sleutelhanger van deze computer is vergrendeld of reageert niet; ontgrendel hem (bijvoorbeeld door opnieuw in te loggen op de computer) en probeer het nog eens.</source>
        <translation>This computer's keychain is locked or does not respond; unlock it (for example by logging in to the computer again) and try again.</translation>
    </message>
    <message>
        <source>De sleutel van dit apparaat gaat pas open als u inlogt; deze controle volgt na het inloggen (of met 'menscentraal doctor --password-stdin').</source>
        <translation>This device's key only opens when you log in; this check follows after logging in (or with 'menscentraal doctor --password-stdin').</translation>
    </message>
    <message>
        <source>Dit profiel heeft nog {count} niet-verzonden wijzigingen die bij wissen of opnieuw aanmelden verloren gaan; log eerst in met verbinding zodat ze verstuurd worden, of bevestig het weggooien met --discard-unsent.</source>
        <translation>This profile still has {count} unsent changes that would be lost by wiping or enrolling again; first log in with a connection so that they are sent, or confirm discarding them with --discard-unsent.</translation>
    </message>
    <message>
        <source>Dit profiel kan nog niet-verzonden wijzigingen bevatten (het aantal is onbekend) die bij wissen of opnieuw aanmelden verloren gaan; log eerst in met verbinding, of bevestig het weggooien met --discard-unsent.</source>
        <translation>This profile may still hold unsent changes (how many is unknown) that would be lost by wiping or enrolling again; first log in with a connection, or confirm discarding them with --discard-unsent.</translation>
    </message>
    <message>
        <source>Dit apparaat is langer dan {hours} uur niet verbonden geweest en {unsent} wijzigingen zijn nog niet verzonden; log in met verbinding om verder te werken, want op {wipe_date} worden de offline gegevens gewist.</source>
        <translation>This device has not been connected for more than {hours} hours and {unsent} changes have not been sent yet; log in with a connection to continue working, because the offline data will be wiped on {wipe_date}.</translation>
    </message>
    <message>
        <source>Dit apparaat is langer dan {days} dagen niet verbonden geweest en de offline gegevens zijn gewist, met {unsent} niet-verzonden wijzigingen versleuteld bewaard; log in met verbinding om de gegevens opnieuw op te halen en die wijzigingen alsnog te versturen.</source>
        <translation>This device has not been connected for more than {days} days and the offline data has been wiped, with {unsent} unsent changes kept encrypted; log in with a connection to fetch the data again and send those changes after all.</translation>
    </message>
    <message>
        <source>De klok van dit apparaat staat vóór een tijdstip dat al voorbij is, dus de offline gegevens blijven vergrendeld; zet de klok goed of log in met verbinding (uw {unsent} niet-verzonden wijzigingen blijven bewaard).</source>
        <translation>This device's clock is set before a moment that has already passed, so the offline data stays locked; set the clock right or log in with a connection (your {unsent} unsent changes are kept).</translation>
    </message>
    <message>
        <source>De offline gegevens zijn vergrendeld; ontgrendel ze met uw wachtwoord.</source>
        <translation>The offline data is locked; unlock it with your password.</translation>
    </message>
    <message>
        <source>De offline gegevens op dit apparaat zijn onleesbaar; wis het profiel met 'menscentraal wipe' en meld opnieuw aan.</source>
        <translation>The offline data on this device is unreadable; wipe the profile with 'menscentraal wipe' and enroll again.</translation>
    </message>
    <message>
        <source>De schijf van dit apparaat is vol, dus dit is niet opgeslagen; maak ruimte vrij en probeer het opnieuw (wat al was opgeslagen, ook uw niet-verzonden wijzigingen, blijft bewaard).</source>
        <translation>The disk of this device is full, so this was not saved; free up space and try again (everything saved before, your unsent changes included, is kept).</translation>
    </message>
    <message>
        <source>De map van uw profiel is alleen-lezen, dus dit is niet opgeslagen; vraag uw IT-beheerder om de map weer beschrijfbaar te maken (er is niets gewist).</source>
        <translation>Your profile folder is read-only, so this was not saved; ask your IT administrator to make the folder writable again (nothing was wiped).</translation>
    </message>
    <message>
        <source>Dit programma mag de bestanden van uw profiel niet lezen of schrijven; vraag uw IT-beheerder om de rechten op de profielmap te herstellen (er is niets gewist).</source>
        <translation>This program may not read or write the files of your profile; ask your IT administrator to restore the permissions on the profile folder (nothing was wiped).</translation>
    </message>
    <message>
        <source>De schijf van dit apparaat gaf een lees- of schrijffout; start het apparaat opnieuw en probeer het nog eens, en bel de helpdesk als het blijft (er is niets gewist).</source>
        <translation>The disk of this device reported a read or write error; restart the device and try again, and call the helpdesk if it persists (nothing was wiped).</translation>
    </message>
    <message>
        <source>De offline gegevens blijken beschadigd; sluit het programma en log opnieuw in, dan worden ze opzij gezet en worden uw niet-verzonden wijzigingen teruggezet.</source>
        <translation>The offline data turns out to be damaged; close the program and log in again, then it is moved aside and your unsent changes are put back.</translation>
    </message>
    <message>
        <source>De offline gegevens waren beschadigd en zijn opzij gezet; er stonden geen niet-verzonden of niet-verwerkte wijzigingen in, en de gegevens worden bij de volgende synchronisatie opnieuw opgehaald.</source>
        <translation>The offline data was damaged and has been moved aside; it held no unsent or unprocessed changes, and the data is fetched again at the next synchronisation.</translation>
    </message>
    <message>
        <source>De offline gegevens waren beschadigd en zijn opzij gezet; alle {held} niet-verzonden of niet-verwerkte wijzigingen zijn teruggezet en de niet-verzonden worden verstuurd, de rest wordt bij de volgende synchronisatie opnieuw opgehaald.</source>
        <translation>The offline data was damaged and has been moved aside; all {held} unsent or unprocessed changes have been put back and the unsent ones will be sent, and the rest is fetched again at the next synchronisation.</translation>
    </message>
    <message>
        <source>De offline gegevens waren beschadigd en zijn opzij gezet; van de {held} niet-verzonden of niet-verwerkte wijzigingen zijn er {recovered} teruggezet, {lost} waren onleesbaar: bel de helpdesk, het opzijgezette bestand {moved_to} is bewaard.</source>
        <translation>The offline data was damaged and has been moved aside; of the {held} unsent or unprocessed changes, {recovered} have been put back, {lost} were unreadable: call the helpdesk, the moved-aside file {moved_to} is kept.</translation>
    </message>
    <message>
        <source>De offline gegevens waren beschadigd en zijn opzij gezet; {recovered} niet-verzonden of niet-verwerkte wijzigingen zijn teruggezet, maar of er meer waren is onleesbaar: controleer na de synchronisatie uw laatste wijzigingen en bel de helpdesk als er iets ontbreekt, het opzijgezette bestand {moved_to} is bewaard.</source>
        <translation>The offline data was damaged and has been moved aside; {recovered} unsent or unprocessed changes have been put back, but whether there were more cannot be read: after the synchronisation check your latest changes and call the helpdesk if something is missing, the moved-aside file {moved_to} is kept.</translation>
    </message>
    <message>
        <source>Dit profiel is al geopend door een ander programma; sluit dat eerst.</source>
        <translation>This profile is already open in another program; close that first.</translation>
    </message>
    <message>
        <source>De klok van dit apparaat loopt {seconds} seconden af van de dienst; zet datum en tijd automatisch en probeer het opnieuw.</source>
        <translation>This device's clock is {seconds} seconds off from the service; set date and time automatically and try again.</translation>
    </message>
    <message>
        <source>De dienst heeft een storing; probeer het later opnieuw of bel de helpdesk als het blijft.</source>
        <translation>The service has a fault; try again later or call the helpdesk if it persists.</translation>
    </message>
    <message>
        <source>De dienst gaf een onverwacht antwoord; probeer het later opnieuw of bel de helpdesk als het blijft.</source>
        <translation>The service gave an unexpected answer; try again later or call the helpdesk if it persists.</translation>
    </message>
    <message>
        <source>De dienst weigerde dit verzoek ({problem}); vernieuw de gegevens en probeer het opnieuw.</source>
        <translation>The service refused this request ({problem}); refresh the data and try again.</translation>
    </message>
    <message>
        <source>Het adres van de dienst moet met https:// beginnen; vraag uw lokaal beheerder om het juiste adres.</source>
        <translation>The service address must start with https://; ask your local administrator for the right address.</translation>
    </message>
    <message>
        <source>Het adres van de dienst is ongeldig; vraag uw lokaal beheerder om het juiste adres.</source>
        <translation>The service address is invalid; ask your local administrator for the right address.</translation>
    </message>
    <message>
        <source>Het CA-bestand is geen geldig certificaat; vraag uw lokaal beheerder om het juiste bestand.</source>
        <translation>The CA file is not a valid certificate; ask your local administrator for the right file.</translation>
    </message>
    <message>
        <source>Er is geen terminal om het wachtwoord te vragen; geef het via --password-stdin.</source>
        <translation>There is no terminal to ask for the password; pass it with --password-stdin.</translation>
    </message>
    <message>
        <source>Er is geen wachtwoord opgegeven; geef het wachtwoord op de eerste regel van de invoer.</source>
        <translation>No password was given; put the password on the first line of the input.</translation>
    </message>
    <message>
        <source>U bent aangemeld met een tijdelijk wachtwoord; geef uw definitieve wachtwoord op de tweede regel van de invoer.</source>
        <translation>You logged in with a temporary password; put your definitive password on the second line of the input.</translation>
    </message>
    <message>
        <source>De twee nieuwe wachtwoorden zijn niet gelijk; probeer het opnieuw.</source>
        <translation>The two new passwords differ; try again.</translation>
    </message>
    <message>
        <source>Het organisatiebestand {path} is ongeldig op regel {line}: {problem}; laat uw IT-afdeling het herstellen, tot dan start het programma niet.</source>
        <translation>The organisation file {path} is invalid at line {line}: {problem}; have your IT department fix it, until then the program does not start.</translation>
    </message>
    <message>
        <source>Het organisatiebestand {path} ontbreekt of is niet leesbaar; laat uw IT-afdeling het herstellen, tot dan start het programma niet.</source>
        <translation>The organisation file {path} is missing or unreadable; have your IT department fix it, until then the program does not start.</translation>
    </message>
    <message>
        <source>Uw organisatie heeft het adres van de dienst en het CA-bestand vastgelegd in {path}; laat --server en --ca weg.</source>
        <translation>Your organisation has set the service address and the CA file in {path}; leave out --server and --ca.</translation>
    </message>
    <message>
        <source>Deze link opent geen taak van MensCentraal Mobiel; gebruik de link uit de e-mail zoals hij is, of zoek de taak in de Werkbak of bij Mijn taken.</source>
        <translation>This link does not open a MensCentraal Mobile task; use the link from the e-mail as it is, or find the task in the Work queue or under My tasks.</translation>
    </message>
    <message>
        <source>Deze taak staat niet op dit apparaat; synchroniseer en open de link opnieuw. Staat hij er dan nog niet, dan is hij niet (meer) voor u zichtbaar.</source>
        <translation>This task is not on this device; synchronise and open the link again. If it is still not there, it is not (or no longer) visible to you.</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>Over {days} dagen worden de offline gegevens gewist als u geen verbinding maakt; maak verbinding zodat uw {unsent} niet-verzonden wijzigingen worden verstuurd.</source>
        <translation>In {days} days the offline data will be wiped unless you connect; connect so that your {unsent} unsent changes are sent.</translation>
    </message>
    <message>
        <source>{count} niet-verzonden wijzigingen van vóór het wissen staan weer klaar om te versturen.</source>
        <translation>{count} unsent changes from before the wipe are ready to be sent again.</translation>
    </message>
    <message>
        <source>{count} niet-verzonden wijzigingen van vóór het wissen konden niet worden teruggezet; het bestand is bewaard, bel de helpdesk.</source>
        <translation>{count} unsent changes from before the wipe could not be restored; the file has been kept, call the helpdesk.</translation>
    </message>
    <message>
        <source>De niet-verzonden wijzigingen van vóór het wissen konden niet worden teruggezet; het bestand is bewaard, bel de helpdesk.</source>
        <translation>The unsent changes from before the wipe could not be restored; the file has been kept, call the helpdesk.</translation>
    </message>
    <message>
        <source>Als deze gebruikersnaam bestaat, is er een e-mail met een tijdelijk wachtwoord verstuurd.</source>
        <translation>If this username exists, an e-mail with a temporary password has been sent.</translation>
    </message>
</context>
</TS>