"""Attribution: URL -> host -> addresses -> network (ASN, organisation, country) -> abuse contact.

Plain modules (no Django): :mod:`.asndb` (the IP-to-ASN file), :mod:`.jcard`,
:mod:`.rdap_objects`, :mod:`.rdap` (client and transports), :mod:`.rdap_contacts`,
:mod:`.cdn`, :mod:`.ranges`, :mod:`.chain`. The Django app: :mod:`.models`, the RDAP
:mod:`.cache`, the directory look-ups (:mod:`.directory`) and edits (:mod:`.providers`),
:mod:`.attributor` with its steps (:mod:`.network_step`, :mod:`.origin`, :mod:`.registrar`),
:mod:`.services` (attribute, recipients_for, flags) and :mod:`.wiring`, where everything is
assembled from the settings. See docs/attribution.md.
"""
