/* folio search index: the manifest (see out_search.h); loaded by assets/folio-search.js */
folioSearchManifest({"v":2,"version":"94bd4de54d122f74","locale":"de-de","lang":"de-de","pages":8,"shards":[""]});
