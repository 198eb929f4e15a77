/* folio search index: the manifest (see out_search.h); loaded by assets/folio-search.js */
folioSearchManifest({"v":2,"version":"23569dc7493de645","locale":"de-de","lang":"de-de","pages":8,"shards":[""]});
