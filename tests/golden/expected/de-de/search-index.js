/* folio search index: the manifest (see out_search.h); loaded by assets/folio-search.js */
folioSearchManifest({"v":2,"version":"6a2985db91026531","locale":"de-de","lang":"de-de","pages":8,"shards":[""]});
